using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace SecForge.Knowledge.Store;

/// <summary>How <see cref="KnowledgeBase.Search"/> ranks.</summary>
public enum SearchMode
{
    /// <summary>SQLite FTS5's BM25 over names and descriptions.</summary>
    Bm25,

    /// <summary>Cosine similarity of MiniLM sentence vectors.</summary>
    Vector,

    /// <summary>Both lists fused by reciprocal rank (k = 60).</summary>
    Hybrid,
}

/// <summary>
/// The knowledge base: one SQLite file of entities, relations, an FTS5 index and MiniLM vectors. Writes are
/// upserts keyed by id (entities) and by (from, type, to) (relations), so importing the same file again changes
/// nothing. Not thread-safe; one writer at a time.
/// </summary>
public sealed class KnowledgeBase : IDisposable
{
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;
    private List<(string Id, float[] Vector)>? _vectors;

    private KnowledgeBase(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) the knowledge base at <paramref name="path"/>.</summary>
    public static KnowledgeBase Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        var kb = new KnowledgeBase(connection);
        kb.Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS entity (id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, source TEXT NOT NULL, version TEXT NOT NULL, revoked_by TEXT, url TEXT, data TEXT);
            CREATE INDEX IF NOT EXISTS entity_type ON entity(type);
            CREATE TABLE IF NOT EXISTS relation ("from" TEXT NOT NULL, type TEXT NOT NULL, "to" TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY ("from", type, "to"));
            CREATE INDEX IF NOT EXISTS relation_to ON relation("to");
            CREATE VIRTUAL TABLE IF NOT EXISTS entity_fts USING fts5(id UNINDEXED, name, description, tokenize = 'porter unicode61');
            CREATE TABLE IF NOT EXISTS vector (id TEXT PRIMARY KEY, text_hash TEXT NOT NULL, v BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS source (file TEXT PRIMARY KEY, format TEXT NOT NULL, version TEXT NOT NULL, entities INTEGER NOT NULL, relations INTEGER NOT NULL, failures INTEGER NOT NULL, imported TEXT NOT NULL);
            """);
        return kb;
    }

    /// <summary>Starts a batch of writes (one transaction); <see cref="Commit"/> ends it.</summary>
    public void Begin() => _transaction ??= _connection.BeginTransaction();

    public void Commit()
    {
        _transaction?.Commit();
        _transaction?.Dispose();
        _transaction = null;
    }

    /// <summary>Adds or replaces <paramref name="entity"/>; with <paramref name="onlyIfAbsent"/> an existing one is kept.</summary>
    public void Upsert(KnowledgeEntity entity, bool onlyIfAbsent = false)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (onlyIfAbsent && Scalar("SELECT 1 FROM entity WHERE id = $id", ("$id", entity.Id)) is not null)
        {
            return;
        }

        // An upsert keeps the row's rowid, which is also the row's key in the FTS index.
        Execute("""
            INSERT INTO entity (id, type, name, description, source, version, revoked_by, url, data) VALUES ($id, $type, $name, $description, $source, $version, $revoked, $url, $data)
            ON CONFLICT(id) DO UPDATE SET type = excluded.type, name = excluded.name, description = excluded.description, source = excluded.source, version = excluded.version, revoked_by = excluded.revoked_by, url = excluded.url, data = excluded.data
            """,
            ("$id", entity.Id), ("$type", entity.Type), ("$name", entity.Name), ("$description", entity.Description), ("$source", entity.Source), ("$version", entity.Version), ("$revoked", entity.RevokedBy), ("$url", entity.Url), ("$data", entity.Data));
        var rowid = (long)Scalar("SELECT rowid FROM entity WHERE id = $id", ("$id", entity.Id))!;
        Execute("DELETE FROM entity_fts WHERE rowid = $rowid", ("$rowid", rowid));
        Execute("INSERT INTO entity_fts (rowid, id, name, description) VALUES ($rowid, $id, $name, $description)", ("$rowid", rowid), ("$id", entity.Id), ("$name", entity.Name), ("$description", entity.Description));
    }

    public void Relate(KnowledgeRelation relation)
    {
        ArgumentNullException.ThrowIfNull(relation);
        Execute("INSERT OR REPLACE INTO relation (\"from\", type, \"to\", source) VALUES ($from, $type, $to, $source)", ("$from", relation.From), ("$type", relation.Type), ("$to", relation.To), ("$source", relation.Source));
    }

    /// <summary>Records what an import of <paramref name="file"/> brought.</summary>
    public void RecordSource(string file, string format, string version, long entities, long relations, long failures) =>
        Execute("INSERT OR REPLACE INTO source (file, format, version, entities, relations, failures, imported) VALUES ($f, $fmt, $v, $e, $r, $x, $t)",
            ("$f", file), ("$fmt", format), ("$v", version), ("$e", entities), ("$r", relations), ("$x", failures), ("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));

    /// <summary>The entity with <paramref name="id"/> (case-insensitive), or null.</summary>
    public KnowledgeEntity? Get(string id)
    {
        using var command = Command("SELECT id, type, name, description, source, version, revoked_by, url, data FROM entity WHERE id = $id COLLATE NOCASE", ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadEntity(reader) : null;
    }

    /// <summary>The entity, or for a revoked one the entity that replaced it (following chains).</summary>
    public KnowledgeEntity? Resolve(string id)
    {
        var entity = Get(id);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (entity?.RevokedBy is { } next && seen.Add(entity.Id) && Get(next) is { } replacement)
        {
            entity = replacement;
        }

        return entity;
    }

    /// <summary>Every relation touching <paramref name="id"/>, both ways, with the other end's type and name.</summary>
    public List<RelatedEntity> Related(string id)
    {
        var related = new List<RelatedEntity>();
        using var command = Command("""
            SELECT r.type, 'out', r."to", e.type, e.name FROM relation r LEFT JOIN entity e ON e.id = r."to" WHERE r."from" = $id COLLATE NOCASE
            UNION ALL
            SELECT r.type, 'in', r."from", e.type, e.name FROM relation r LEFT JOIN entity e ON e.id = r."from" WHERE r."to" = $id COLLATE NOCASE
            ORDER BY 1, 3
            """, ("$id", id));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            related.Add(new RelatedEntity(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return related;
    }

    /// <summary>All entities, in id order (for export).</summary>
    public IEnumerable<KnowledgeEntity> All()
    {
        using var command = Command("SELECT id, type, name, description, source, version, revoked_by, url, data FROM entity ORDER BY type, id");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return ReadEntity(reader);
        }
    }

    /// <summary>Entities whose vector is missing or was computed from other text, with the text to embed.</summary>
    public List<(string Id, string Text)> MissingVectors()
    {
        var missing = new List<(string, string)>();
        using var command = Command("SELECT e.id, e.name, e.description, v.text_hash FROM entity e LEFT JOIN vector v ON v.id = e.id");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var text = VectorText(reader.GetString(1), reader.GetString(2));
            if (reader.IsDBNull(3) || reader.GetString(3) != Hash(text))
            {
                missing.Add((reader.GetString(0), text));
            }
        }

        return missing;
    }

    public void StoreVector(string id, string text, float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var bytes = new byte[vector.Length * sizeof(float)];
        Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
        Execute("INSERT OR REPLACE INTO vector (id, text_hash, v) VALUES ($id, $h, $v)", ("$id", id), ("$h", Hash(text)), ("$v", bytes));
        _vectors = null;
    }

    /// <summary>What a vector is computed from: the name and the opening of the description.</summary>
    public static string VectorText(string name, string description) =>
        description.Length == 0 ? name : name + ". " + (description.Length > 600 ? description[..600] : description);

    /// <summary>
    /// Ranks entities for <paramref name="query"/>. Vector and hybrid modes need <paramref name="embed"/> (the query's
    /// vector) and stored vectors; without them the ranking is BM25 alone.
    /// </summary>
    public List<SearchHit> Search(string query, SearchMode mode, int limit, string? type = null, Func<string, float[]>? embed = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pool = Math.Max(50, limit * 5);
        var bm25 = mode == SearchMode.Vector ? [] : Bm25(query, pool, type);
        var vector = mode == SearchMode.Bm25 || embed is null || VectorCount() == 0 ? [] : Nearest(embed(query), pool, type);
        List<(string Id, double Score)> ranked = mode switch
        {
            SearchMode.Bm25 => bm25,
            SearchMode.Vector when vector.Count > 0 => vector,
            SearchMode.Vector => bm25,
            _ when vector.Count == 0 => bm25,
            _ => Fuse(bm25, vector),
        };

        var hits = new List<SearchHit>();
        foreach (var (id, score) in ranked.Take(limit))
        {
            if (Get(id) is { } entity)
            {
                hits.Add(new SearchHit(entity.Id, entity.Type, entity.Name, Math.Round(score, 6)));
            }
        }

        return hits;
    }

    public KnowledgeStats Stats()
    {
        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using (var command = Command("SELECT type, COUNT(*) FROM entity GROUP BY type"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                byType[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using (var command = Command("SELECT file, format, version, entities, relations, failures FROM source"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                sources[reader.GetString(0)] = string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(1)} {reader.GetString(2)}: {reader.GetInt64(3):N0} entities, {reader.GetInt64(4):N0} relations, {reader.GetInt64(5):N0} failures");
            }
        }

        return new KnowledgeStats(byType, (long)Scalar("SELECT COUNT(*) FROM relation")!, VectorCount(), sources);
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        _connection.Dispose();
    }

    private long VectorCount() => (long)Scalar("SELECT COUNT(*) FROM vector")!;

    private List<(string Id, double Score)> Bm25(string query, int limit, string? type)
    {
        var terms = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(t => new string(t.Where(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_').ToArray()).Trim('-', '.', '_'))
            .Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (terms.Count == 0)
        {
            return [];
        }

        var match = string.Join(" OR ", terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        var results = new List<(string, double)>();
        using var command = Command(
            "SELECT e.id, bm25(entity_fts, 0, 3.0, 1.0) AS score FROM entity_fts f JOIN entity e ON e.rowid = f.rowid WHERE entity_fts MATCH $q AND e.revoked_by IS NULL AND ($type IS NULL OR e.type = $type) ORDER BY score LIMIT $limit",
            ("$q", match), ("$type", type), ("$limit", limit));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            results.Add((reader.GetString(0), -reader.GetDouble(1)));
        }

        return results;
    }

    private List<(string Id, double Score)> Nearest(float[] query, int limit, string? type)
    {
        if (_vectors is null)
        {
            _vectors = [];
            using var command = Command("SELECT id, v FROM vector");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var bytes = (byte[])reader[1];
                var vector = new float[bytes.Length / sizeof(float)];
                Buffer.BlockCopy(bytes, 0, vector, 0, bytes.Length);
                _vectors.Add((reader.GetString(0), vector));
            }
        }

        var allowed = Searchable(type);
        return _vectors
            .Where(v => allowed.Contains(v.Id))
            .Select(v => (v.Id, Score: Cosine(query, v.Vector)))
            .OrderByDescending(v => v.Score).Take(limit).ToList();
    }

    /// <summary>Ids a search may return: not revoked, and of <paramref name="type"/> when one is given.</summary>
    private HashSet<string> Searchable(string? type)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using var command = Command("SELECT id FROM entity WHERE revoked_by IS NULL AND ($type IS NULL OR type = $type)", ("$type", type));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Reciprocal rank fusion: each list adds 1 / (60 + rank).</summary>
    private static List<(string Id, double Score)> Fuse(List<(string Id, double Score)> first, List<(string Id, double Score)> second)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var list in new[] { first, second })
        {
            for (var rank = 0; rank < list.Count; rank++)
            {
                scores[list[rank].Id] = scores.GetValueOrDefault(list[rank].Id) + (1.0 / (60 + rank + 1));
            }
        }

        return scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value)).ToList();
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static string Hash(string text) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static KnowledgeEntity ReadEntity(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8));

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar();
    }
}
