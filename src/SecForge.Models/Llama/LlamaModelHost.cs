using System.Collections.Concurrent;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using SecForge.Core.Errors;
using SecForge.Models.Gguf;

namespace SecForge.Models.Llama;

/// <summary>
/// One GGUF model loaded into this process, shared by every client that names it, with a pool of inference
/// contexts so concurrent requests each run on their own KV cache. Loaded once per process and option set;
/// freed when the last client lets go.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Lifetime is reference-counted: the last Release frees everything.")]
internal sealed class LlamaModelHost
{
    private const uint DefaultContextCap = 8192;
    private static readonly ConcurrentDictionary<string, LlamaModelHost> Hosts = new(StringComparer.Ordinal);
    private static readonly Lock HostsLock = new();
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<LLamaContext> _idle = [];
    private readonly ModelParams _parameters;
    private readonly string _key;
    private int _references;

    private LlamaModelHost(string key, string path, LlamaModelOptions options, GgufHeader header)
    {
        _key = key;
        Path = path;
        Options = options;
        Header = header;
        var contextSize = options.ContextSize ?? (uint)Math.Min(header.ContextLength ?? 4096, DefaultContextCap);
        _parameters = new ModelParams(path)
        {
            ContextSize = contextSize,
            GpuLayerCount = options.GpuLayerCount,
            Threads = options.Threads,
            BatchThreads = options.Threads,
            BatchSize = Math.Min(512u, contextSize),
        };
        LlamaNativeLog.TakeRecent();
        try
        {
            Weights = LLamaWeights.LoadFromFile(_parameters);
        }
        catch (LoadWeightsFailedException exception)
        {
            var reason = MostSpecificReason(LlamaNativeLog.TakeRecent());
            throw new InputException($"llama.cpp could not load the model: {reason}", path, innerException: exception);
        }

        _slots = new SemaphoreSlim(Math.Max(1, options.Parallel));
    }

    public string Path { get; }

    /// <summary>
    /// llama.cpp ends a failed load with a generic line; the line before it ("error loading model: …") says why.
    /// </summary>
    private static string MostSpecificReason(IReadOnlyList<string> lines)
    {
        const string marker = "error loading model: ";
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var index = lines[i].LastIndexOf(marker, StringComparison.Ordinal);
            if (index >= 0)
            {
                return lines[i][(index + marker.Length)..];
            }
        }

        return lines.Count > 0 ? lines[^1] : "llama.cpp gave no reason";
    }

    public LlamaModelOptions Options { get; }

    public GgufHeader Header { get; }

    public LLamaWeights Weights { get; }

    /// <summary>The context size each request gets.</summary>
    public uint ContextSize => _parameters.ContextSize ?? 4096;

    /// <summary>Prompt tokens decoded per batch.</summary>
    public int BatchSize => (int)_parameters.BatchSize;

    /// <summary>Returns the host for <paramref name="path"/> and <paramref name="options"/>, loading it on first use.</summary>
    public static LlamaModelHost Acquire(string path, LlamaModelOptions options)
    {
        // Before anything touches LLamaSharp: its native log can only be redirected before the library loads.
        LlamaNativeLog.EnsureConfigured();
        var fullPath = System.IO.Path.GetFullPath(path);
        var header = GgufHeader.Read(fullPath);
        var key = $"{fullPath}|{options.ContextSize}|{options.GpuLayerCount}|{options.Threads}|{options.Parallel}";
        lock (HostsLock)
        {
            if (!Hosts.TryGetValue(key, out var host))
            {
                host = new LlamaModelHost(key, fullPath, options, header);
                Hosts[key] = host;
            }

            host._references++;
            return host;
        }
    }

    /// <summary>Lets go of a reference; the last one frees the model.</summary>
    public void Release()
    {
        lock (HostsLock)
        {
            if (--_references > 0)
            {
                return;
            }

            Hosts.TryRemove(_key, out _);
        }

        while (_idle.TryTake(out var context))
        {
            context.Dispose();
        }

        Weights.Dispose();
        _slots.Dispose();
    }

    /// <summary>Runs <paramref name="work"/> on a context of its own (its memory cleared) on a worker thread.</summary>
    public async Task<T> RunAsync<T>(Func<LLamaContext, T> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var context = _idle.TryTake(out var idle) ? idle : Weights.CreateContext(_parameters);
            try
            {
                return await Task.Run(() =>
                {
                    context.NativeHandle.MemoryClear(true);
                    return work(context);
                }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _idle.Add(context);
            }
        }
        finally
        {
            _slots.Release();
        }
    }
}
