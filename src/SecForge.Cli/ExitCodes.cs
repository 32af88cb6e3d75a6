namespace SecForge.Cli;

/// <summary>The exit codes of every secforge command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran but failed, or a threshold was not met.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage or bad input: an unknown option, a missing file, a malformed record.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted by Ctrl+C (SIGINT); SIGTERM exits with 143.</summary>
    public const int Interrupted = 130;
}
