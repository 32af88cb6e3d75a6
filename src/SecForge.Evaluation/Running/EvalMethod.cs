namespace SecForge.Evaluation.Running;

/// <summary>How multiple-choice items are answered.</summary>
public enum EvalMethod
{
    /// <summary>The model writes a reply; the answer is read from it.</summary>
    Generate,

    /// <summary>
    /// lm-evaluation-harness style: the option whose letter is most likely after the prompt wins; needs
    /// log-probabilities of a prompt (GGUF in-process, or /v1/completions with echo and logprobs).
    /// </summary>
    LogLikelihood,
}
