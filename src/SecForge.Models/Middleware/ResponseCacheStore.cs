using Microsoft.Data.Sqlite;

namespace SecForge.Models.Middleware;

/// <summary>
/// The SQLite file behind the response cache: one row per request key. Several processes may share a file
/// (WAL mode, busy timeout); within a process one connection is shared under a lock, which costs far less
/// than any model call it saves.
/// </summary>
public sealed class ResponseCacheStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _select;
    private readonly SqliteCommand _insert;
    private readonly Lock _lock = new();
    private bool _disposed;

    public ResponseCacheStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        if (path != ":memory:")
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=NORMAL;");
        Execute("PRAGMA busy_timeout=10000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS responses (
                key TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                created_utc TEXT NOT NULL
            ) WITHOUT ROWID;
            """);
        _select = _connection.CreateCommand();
        _select.CommandText = "SELECT value FROM responses WHERE key = $key";
        _select.Parameters.Add("$key", SqliteType.Text);
        _select.Prepare();
        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT OR REPLACE INTO responses (key, kind, value, created_utc) VALUES ($key, $kind, $value, $created)";
        _insert.Parameters.Add("$key", SqliteType.Text);
        _insert.Parameters.Add("$kind", SqliteType.Text);
        _insert.Parameters.Add("$value", SqliteType.Text);
        _insert.Parameters.Add("$created", SqliteType.Text);
        _insert.Prepare();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The cached value for <paramref name="key"/>, or null.</summary>
    public string? Get(string key)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _select.Parameters[0].Value = key;
            return _select.ExecuteScalar() as string;
        }
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>.</summary>
    public void Put(string key, string kind, string value)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _insert.Parameters[0].Value = key;
            _insert.Parameters[1].Value = kind;
            _insert.Parameters[2].Value = value;
            _insert.Parameters[3].Value = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            _insert.ExecuteNonQuery();
        }
    }

    /// <summary>Rows in the cache.</summary>
    public long Count()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM responses";
            return (long)command.ExecuteScalar()!;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _select.Dispose();
            _insert.Dispose();
            _connection.Dispose();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
