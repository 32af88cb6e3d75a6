using SecForge.Curation.Relevance;

namespace SecForge.Knowledge.Store;

/// <summary>MiniLM sentence vectors for the entities of a knowledge base, computed for what is new or changed.</summary>
public static class KnowledgeVectors
{
    /// <summary>Embeds entities without a current vector; returns how many were embedded.</summary>
    public static int Update(KnowledgeBase kb, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kb);
        var missing = kb.MissingVectors();
        const int Batch = 64;
        for (var start = 0; start < missing.Count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slice = missing.Skip(start).Take(Batch).ToList();
            var vectors = SentenceEmbedder.Shared.Embed(slice.Select(m => m.Text).ToList(), 32, cancellationToken);
            kb.Begin();
            for (var i = 0; i < slice.Count; i++)
            {
                kb.StoreVector(slice[i].Id, slice[i].Text, vectors[i]);
            }

            kb.Commit();
            progress?.Report((Math.Min(start + Batch, missing.Count), missing.Count));
        }

        return missing.Count;
    }

    /// <summary>The query's vector, for <see cref="KnowledgeBase.Search"/>.</summary>
    public static float[] Embed(string query) => SentenceEmbedder.Shared.Embed([query])[0];
}
