using SecForge.Curation.Scrub;

namespace SecForge.Curation.Steps;

/// <summary>Replaces secrets (always) and personal data (by configuration) with typed placeholders; never drops a document.</summary>
public sealed class ScrubStep(SecretScrubber scrubber) : CurationStep
{
    /// <inheritdoc />
    public override string Name => "scrub";

    /// <inheritdoc />
    public override StepOutcome Process(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        document.Text = scrubber.Scrub(document.Text, counts);
        if (counts.Count > 0)
        {
            document.Scrubbed = counts;
        }

        return StepOutcome.Keep;
    }
}
