using System.Text.RegularExpressions;

namespace SecForge.Curation.Scrub;

/// <summary>
/// Replaces secrets with typed placeholders (<c>[AWS_ACCESS_KEY_ID]</c>, <c>[PRIVATE_KEY]</c>, <c>[PASSWORD]</c>…)
/// and, by default, e-mail addresses and phone numbers with <c>[EMAIL]</c> and <c>[PHONE]</c>. Indicators of
/// compromise — IP addresses, domains, URLs (their credentials removed), hashes, CVE ids — are the domain and are
/// kept. Patterns are specific (token prefixes, key blocks, assignments to secret-named fields) so hashes and ids
/// in threat reports are not mistaken for secrets.
/// </summary>
public sealed partial class SecretScrubber
{
    private readonly bool _emails;
    private readonly bool _phones;

    public SecretScrubber(bool emails = true, bool phones = true)
    {
        _emails = emails;
        _phones = phones;
    }

    /// <summary>The kinds of secret replaced, with their placeholders.</summary>
    public static IReadOnlyList<string> SecretKinds { get; } =
    [
        "PRIVATE_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_KEY", "GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_TOKEN", "SLACK_WEBHOOK",
        "GOOGLE_API_KEY", "STRIPE_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "SENDGRID_KEY", "TWILIO_KEY", "NPM_TOKEN",
        "PYPI_TOKEN", "TELEGRAM_BOT_TOKEN", "MAILGUN_KEY", "AZURE_STORAGE_KEY", "JWT", "BEARER_TOKEN", "BASIC_AUTH", "PASSWORD",
        "SECRET",
    ];

    /// <summary>Scrubs <paramref name="text"/>; <paramref name="counts"/> receives the replacements by kind.</summary>
    public string Scrub(string text, Dictionary<string, int>? counts = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = Replace(text, PrivateKey(), "PRIVATE_KEY", counts);
        text = Replace(text, AwsAccessKeyId(), "AWS_ACCESS_KEY_ID", counts);
        text = ReplaceGroup(text, AwsSecretKey(), "AWS_SECRET_KEY", counts);
        text = Replace(text, GitHubToken(), "GITHUB_TOKEN", counts);
        text = Replace(text, GitLabToken(), "GITLAB_TOKEN", counts);
        text = Replace(text, SlackWebhook(), "SLACK_WEBHOOK", counts);
        text = Replace(text, SlackToken(), "SLACK_TOKEN", counts);
        text = Replace(text, GoogleApiKey(), "GOOGLE_API_KEY", counts);
        text = Replace(text, StripeKey(), "STRIPE_KEY", counts);
        text = Replace(text, AnthropicKey(), "ANTHROPIC_API_KEY", counts);
        text = Replace(text, OpenAIKey(), "OPENAI_API_KEY", counts);
        text = Replace(text, SendGridKey(), "SENDGRID_KEY", counts);
        text = Replace(text, TwilioKey(), "TWILIO_KEY", counts);
        text = Replace(text, NpmToken(), "NPM_TOKEN", counts);
        text = Replace(text, PyPiToken(), "PYPI_TOKEN", counts);
        text = Replace(text, TelegramBotToken(), "TELEGRAM_BOT_TOKEN", counts);
        text = Replace(text, MailgunKey(), "MAILGUN_KEY", counts);
        text = ReplaceGroup(text, AzureStorageKey(), "AZURE_STORAGE_KEY", counts);
        text = Replace(text, Jwt(), "JWT", counts);
        text = ReplaceGroup(text, BearerToken(), "BEARER_TOKEN", counts);
        text = ReplaceGroup(text, BasicAuth(), "BASIC_AUTH", counts);
        text = ReplaceGroup(text, UrlPassword(), "PASSWORD", counts);
        text = ReplaceGroup(text, ConnectionStringPassword(), "PASSWORD", counts);
        text = ReplaceGroup(text, SecretAssignment(), "SECRET", counts, secretLooking: true);
        if (_emails)
        {
            text = Replace(text, Email(), "EMAIL", counts);
        }

        if (_phones)
        {
            text = Replace(text, Phone(), "PHONE", counts);
        }

        return text;
    }

    private static string Replace(string text, Regex pattern, string kind, Dictionary<string, int>? counts) =>
        pattern.Replace(text, _ =>
        {
            Count(counts, kind);
            return $"[{kind}]";
        });

    /// <summary>Replaces only the group named "secret", keeping its context ("password=", "user:…@").</summary>
    private static string ReplaceGroup(string text, Regex pattern, string kind, Dictionary<string, int>? counts, bool secretLooking = false) =>
        pattern.Replace(text, match =>
        {
            var secret = match.Groups["secret"];
            if (!secret.Success || (secretLooking && !LooksSecret(secret.Value)))
            {
                return match.Value;
            }

            Count(counts, kind);
            return string.Concat(match.Value.AsSpan(0, secret.Index - match.Index), $"[{kind}]", match.Value.AsSpan(secret.Index - match.Index + secret.Length));
        });

    private static void Count(Dictionary<string, int>? counts, string kind)
    {
        if (counts is not null)
        {
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
    }

    /// <summary>A value assigned to a secret-named field is a secret when it is one token with some variety of characters.</summary>
    private static bool LooksSecret(string value)
    {
        if (value.Length < 8 || value.StartsWith('[') || value.StartsWith('<') || value.StartsWith('$') || value.StartsWith('%') || value.StartsWith("{{", StringComparison.Ordinal))
        {
            return false;
        }

        var classes = (value.Any(char.IsLower) ? 1 : 0) + (value.Any(char.IsUpper) ? 1 : 0) + (value.Any(char.IsDigit) ? 1 : 0) + (value.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return classes >= 2 && !value.Equals("password", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?i)aws.{0,20}?(?:secret|key).{0,20}?[=:]\s*[""']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])")]
    private static partial Regex AwsSecretKey();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b")]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bglpat-[A-Za-z0-9_\-]{20,}")]
    private static partial Regex GitLabToken();

    [GeneratedRegex(@"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+")]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"\bxox[baprs]-[A-Za-z0-9-]{10,}")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}\b")]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"\b(?:sk|rk|pk)_(?:live|test)_[0-9a-zA-Z]{24,99}\b")]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{20,}")]
    private static partial Regex AnthropicKey();

    [GeneratedRegex(@"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}|\bsk-(?:proj|svcacct)-[A-Za-z0-9_\-]{40,}|\bsk-[A-Za-z0-9]{48}\b")]
    private static partial Regex OpenAIKey();

    [GeneratedRegex(@"\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}\b")]
    private static partial Regex SendGridKey();

    [GeneratedRegex(@"\bSK[0-9a-fA-F]{32}\b")]
    private static partial Regex TwilioKey();

    [GeneratedRegex(@"\bnpm_[A-Za-z0-9]{36}\b")]
    private static partial Regex NpmToken();

    [GeneratedRegex(@"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}")]
    private static partial Regex PyPiToken();

    [GeneratedRegex(@"\b\d{8,10}:AA[A-Za-z0-9_\-]{33}\b")]
    private static partial Regex TelegramBotToken();

    [GeneratedRegex(@"\bkey-[0-9a-z]{32}\b")]
    private static partial Regex MailgunKey();

    [GeneratedRegex(@"(?:AccountKey|SharedAccessKey)=(?<secret>[A-Za-z0-9+/=]{20,})")]
    private static partial Regex AzureStorageKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?i)\bBearer\s+(?<secret>[A-Za-z0-9._~+/\-]{20,}=*)")]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"(?i)\bAuthorization:\s*Basic\s+(?<secret>[A-Za-z0-9+/]{8,}=*)")]
    private static partial Regex BasicAuth();

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@]+:(?<secret>[^\s@/]+)@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?i)\b(?:password|pwd)\s*=\s*(?<secret>[^;'""\s]+)")]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?i)\b(?:passwd|password|passphrase|secret|secret_key|client_secret|api_key|apikey|api-key|access_token|auth_token|private_token|token)[""']?\s*[:=]\s*[""']?(?<secret>[^\s""',;]{8,})")]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\w.])(?:\+\d{1,3}[\s.\-]?(?:\(\d{1,4}\)[\s.\-]?)?\d{2,4}[\s.\-]\d{2,4}(?:[\s.\-]\d{2,4}){0,2}|\(\d{3}\)\s?\d{3}[\-.\s]\d{4}|\d{3}[\-.]\d{3}[\-.]\d{4})(?![\w.]*\d)")]
    private static partial Regex Phone();
}
