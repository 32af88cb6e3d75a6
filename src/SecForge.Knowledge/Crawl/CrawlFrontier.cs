using Microsoft.Data.Sqlite;

namespace SecForge.Knowledge.Crawl;

/// <summary>A URL the frontier hands out.</summary>
public sealed record FrontierEntry(string Url, int Depth, int Misses, string? Via);

/// <summary>
/// The crawl's persistent frontier and seen-set (SQLite, in the crawl directory): every URL ever queued with its
/// depth, priority and state. A URL handed out but not finished when the crawl stopped is queued again on resume;
/// a finished one is never fetched again.
/// </summary>
public sealed class CrawlFrontier : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private long _seq;

    public CrawlFrontier(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS url (url TEXT PRIMARY KEY, seq INTEGER NOT NULL, depth INTEGER NOT NULL, misses INTEGER NOT NULL, priority REAL NOT NULL, via TEXT, state TEXT NOT NULL, status INTEGER, relevant INTEGER, reason TEXT, detail TEXT);
            CREATE INDEX IF NOT EXISTS url_queue ON url(state, priority DESC, seq);
            UPDATE url SET state = 'queued' WHERE state = 'fetching';
            """);
        using var last = Command("SELECT IFNULL(MAX(seq), 0) FROM url");
        _seq = (long)last.ExecuteScalar()!;
    }

    /// <summary>Queues <paramref name="url"/> unless it was seen before; true when it is new.</summary>
    public bool Add(string url, int depth, int misses, double priority, string? via)
    {
        lock (_gate)
        {
            using var command = Command("INSERT OR IGNORE INTO url (url, seq, depth, misses, priority, via, state) VALUES ($u, $seq, $d, $m, $p, $v, 'queued')",
                ("$u", url), ("$seq", _seq + 1), ("$d", depth), ("$m", misses), ("$p", priority), ("$v", via));
            var added = command.ExecuteNonQuery() > 0;
            _seq += added ? 1 : 0;
            return added;
        }
    }

    /// <summary>Whether <paramref name="url"/> is known in any state.</summary>
    public bool Seen(string url)
    {
        lock (_gate)
        {
            using var command = Command("SELECT 1 FROM url WHERE url = $u", ("$u", url));
            return command.ExecuteScalar() is not null;
        }
    }

    /// <summary>The best queued URL whose host <paramref name="ready"/> accepts, marked as being fetched; null if none is ready.</summary>
    public FrontierEntry? Take(Func<string, bool> ready)
    {
        lock (_gate)
        {
            using var command = Command("SELECT url, depth, misses, via FROM url WHERE state = 'queued' ORDER BY priority DESC, seq LIMIT 500");
            FrontierEntry? chosen = null;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var url = reader.GetString(0);
                    if (ready(url))
                    {
                        chosen = new FrontierEntry(url, reader.GetInt32(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                        break;
                    }
                }
            }

            if (chosen is not null)
            {
                using var mark = Command("UPDATE url SET state = 'fetching' WHERE url = $u", ("$u", chosen.Url));
                mark.ExecuteNonQuery();
            }

            return chosen;
        }
    }

    /// <summary>Records how a URL ended: <c>done</c> (fetched), <c>failed</c> or <c>skipped</c>, with a reason code and the message.</summary>
    public void Finish(string url, string state, int? status, bool? relevant, string? reason = null, string? detail = null)
    {
        lock (_gate)
        {
            using var command = Command("UPDATE url SET state = $s, status = $st, relevant = $r, reason = $why, detail = $detail WHERE url = $u",
                ("$u", url), ("$s", state), ("$st", status), ("$r", relevant is null ? null : relevant.Value ? 1 : 0), ("$why", reason), ("$detail", detail));
            command.ExecuteNonQuery();
        }
    }

    public long Count(string state)
    {
        lock (_gate)
        {
            using var command = Command("SELECT COUNT(*) FROM url WHERE state = $s", ("$s", state));
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>The URLs in <paramref name="state"/>, in the order they were queued.</summary>
    public List<string> Urls(string state)
    {
        lock (_gate)
        {
            var urls = new List<string>();
            using var command = Command("SELECT url FROM url WHERE state = $s ORDER BY seq", ("$s", state));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                urls.Add(reader.GetString(0));
            }

            return urls;
        }
    }

    /// <summary>Fetched pages judged relevant.</summary>
    public long Relevant()
    {
        lock (_gate)
        {
            using var command = Command("SELECT COUNT(*) FROM url WHERE state = 'done' AND relevant = 1");
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>Failed and skipped URLs with their reason and message, for the report (at most <paramref name="limit"/>).</summary>
    public List<(string Url, string State, string Reason, string? Detail)> Problems(int limit)
    {
        lock (_gate)
        {
            var problems = new List<(string, string, string, string?)>();
            using var command = Command("SELECT url, state, IFNULL(reason, '?'), detail FROM url WHERE state IN ('failed', 'skipped') ORDER BY seq LIMIT $n", ("$n", limit));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                problems.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }

            return problems;
        }
    }

    /// <summary>Failed and skipped URLs counted by reason code.</summary>
    public Dictionary<string, long> Reasons()
    {
        lock (_gate)
        {
            var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
            using var command = Command("SELECT state || ': ' || IFNULL(reason, '?'), COUNT(*) FROM url WHERE state IN ('failed', 'skipped') GROUP BY 1 ORDER BY 2 DESC");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                reasons[reader.GetString(0)] = reader.GetInt64(1);
            }

            return reasons;
        }
    }

    public void Dispose() => _connection.Dispose();

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}
