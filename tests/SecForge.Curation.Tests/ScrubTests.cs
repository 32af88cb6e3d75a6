using SecForge.Curation.Scrub;

namespace SecForge.Curation.Tests;

public sealed class ScrubTests
{
    /// <summary>Planted secrets: the value that must vanish and the placeholder that must replace it.</summary>
    public static readonly (string Kind, string Secret, string Context)[] Secrets =
    [
        ("AWS_ACCESS_KEY_ID", "AKIAQ3EGX7N2W4Y6ZB5D", "The loader authenticated with AKIAQ3EGX7N2W4Y6ZB5D to stage data."),
        ("AWS_SECRET_KEY", "wJalrXUtnFEMI9K7MDENGbPxRfiCYzEXAMPLEKEY", "Its config held aws_secret_access_key = wJalrXUtnFEMI9K7MDENGbPxRfiCYzEXAMPLEKEY in plain text."),
        ("GITHUB_TOKEN", "ghp_Zx81k2mPq7Lr5Tv9Wb3Nc6Hd0Fs4Jy2Ke8Ua", "A leaked token ghp_Zx81k2mPq7Lr5Tv9Wb3Nc6Hd0Fs4Jy2Ke8Ua gave read access to private repositories."),
        ("GITLAB_TOKEN", "glpat-3xV9qL2mZ8rT5wK1nB7c", "The CI variable glpat-3xV9qL2mZ8rT5wK1nB7c was exposed in job logs."),
        ("SLACK_TOKEN", "xoxb-2918273645-8192837465-AbCdEfGhIjKlMnOpQrStUvWx", "Stolen bot token xoxb-2918273645-8192837465-AbCdEfGhIjKlMnOpQrStUvWx was used for phishing."),
        ("SLACK_WEBHOOK", "https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/q8W3e5R7t9Y1u2I4o6P8a0S2", "Exfiltrated data was posted to https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/q8W3e5R7t9Y1u2I4o6P8a0S2 in batches."),
        ("GOOGLE_API_KEY", "AIzaSyD8x3Kq9Lm2Np5Rt7Vw1Yz4Ab6Cd8Ef0Gh", "The mobile app shipped AIzaSyD8x3Kq9Lm2Np5Rt7Vw1Yz4Ab6Cd8Ef0Gh in its resources."),
        ("STRIPE_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dcTYx", "A payment key sk_live_4eC39HqLyjWDarjtT1zdp7dcTYx was found on the web server."),
        ("OPENAI_API_KEY", "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8x", "The attacker reused sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8x for free inference."),
        ("ANTHROPIC_API_KEY", "sk-ant-api03-Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Ji0HgFeDcBa9876", "A second key sk-ant-api03-Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Ji0HgFeDcBa9876 appeared in the same repository."),
        ("SENDGRID_KEY", "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", "Spam went out through 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 for two days."),
        ("TWILIO_KEY", "SK0123456789abcdef0123456789abcdef", "SMS fraud used the API key SK0123456789abcdef0123456789abcdef from a leaked .env file."),
        ("NPM_TOKEN", "npm_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78", "The malicious package was published with npm_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78 taken from a maintainer laptop."),
        ("PYPI_TOKEN", "pypi-AgEIcHlwaS5vcmcCJGQ4ZTk3MmI0LTJhOWEtNDk5Ni05YjRhLWE3ZTc2NzM4ZjYzMgACKlsz", "Upload token pypi-AgEIcHlwaS5vcmcCJGQ4ZTk3MmI0LTJhOWEtNDk5Ni05YjRhLWE3ZTc2NzM4ZjYzMgACKlsz was revoked."),
        ("TELEGRAM_BOT_TOKEN", "5512349876:AAHq8Zx3Lm7Kp2Rw9Tv4Ny6Bs1Dc5Fg0Hj8", "C2 commands arrived through the bot 5512349876:AAHq8Zx3Lm7Kp2Rw9Tv4Ny6Bs1Dc5Fg0Hj8 on Telegram."),
        ("MAILGUN_KEY", "key-3ax6xnjp29jd6fds4gc373sgvjxteol0", "Mailgun key-3ax6xnjp29jd6fds4gc373sgvjxteol0 sent the lures."),
        ("AZURE_STORAGE_KEY", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==", "DefaultEndpointsProtocol=https;AccountName=exfil01;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==;EndpointSuffix=core.windows.net"),
        ("JWT", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImlhdCI6MTcwMDAwMDAwMH0.Yx3qZp7Lm2Kv9Tw4Rb8Nc1Hd6Fs0Jy5Ge3Ua", "The session cookie eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImlhdCI6MTcwMDAwMDAwMH0.Yx3qZp7Lm2Kv9Tw4Rb8Nc1Hd6Fs0Jy5Ge3Ua was replayed."),
        ("BEARER_TOKEN", "7f3a9c2e81b4d6f0a5c8e2b7d1f4a9c3e6b8d0f2", "Requests carried Authorization: Bearer 7f3a9c2e81b4d6f0a5c8e2b7d1f4a9c3e6b8d0f2 to the internal API."),
        ("BASIC_AUTH", "YWRtaW46U3VwZXJTZWNyZXQxMjMh", "The scanner sent Authorization: Basic YWRtaW46U3VwZXJTZWNyZXQxMjMh to every host."),
        ("PASSWORD", "Tr0ub4dor&3xyz", "Persistence used ftp://backup:Tr0ub4dor&3xyz@files.corp-backup.net/drop/ for staging."),
        ("PASSWORD", "Summer2024!db", "Server=sql01;Database=hr;User Id=sa;Password=Summer2024!db;"),
        ("SECRET", "Xk9#mP2$vL7qR4tW", "The operators hard-coded client_secret: Xk9#mP2$vL7qR4tW in the implant."),
        ("PRIVATE_KEY", "MIIEowIBAAKCAQEAvX8k2Lq9Zp3Mw7Nc1Rt5Yb8Hd0Fs", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAvX8k2Lq9Zp3Mw7Nc1Rt5Yb8Hd0Fs\nQ2mT6vW9yZ1bC4eF7hI0kL3nO6qR9tU2wX5zA8cD1fG4\n-----END RSA PRIVATE KEY-----"),
    ];

    /// <summary>Indicators a threat report holds: every one must survive scrubbing verbatim.</summary>
    public static readonly string[] Indicators =
    [
        "203.0.113.45", "198.51.100.7", "2001:db8:85a3::8a2e:370:7334", "login-verify-portal.top", "cdn-update.net", "hxxps://payload.evil-cdn.ru/stage2",
        "https://malware-drop.example/files/loader.bin", "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "CVE-2024-3400", "CVE-2023-4966", "CWE-78", "T1059.001", "T1486",
        "C:\\Users\\Public\\svchost.exe", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
    ];

    private static string ThreatReport()
    {
        var report = new System.Text.StringBuilder();
        report.Append("# Amber Kestrel intrusion report\n\n");
        report.Append("The group exploited CVE-2024-3400 and CVE-2023-4966 (CWE-78) on edge devices, then ran PowerShell (T1059.001) and encrypted file servers (T1486).\n\n");
        report.Append("| Type | Indicator |\n| --- | --- |\n| IPv4 | 203.0.113.45 |\n| IPv4 | 198.51.100.7 |\n| IPv6 | 2001:db8:85a3::8a2e:370:7334 |\n| Domain | login-verify-portal.top |\n| Domain | cdn-update.net |\n");
        report.Append("| URL | hxxps://payload.evil-cdn.ru/stage2 |\n| URL | https://malware-drop.example/files/loader.bin |\n| MD5 | d41d8cd98f00b204e9800998ecf8427e |\n| SHA-1 | da39a3ee5e6b4b0d3255bfef95601890afd80709 |\n");
        report.Append("| SHA-256 | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 |\n\n");
        report.Append("The implant dropped C:\\Users\\Public\\svchost.exe and persisted under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run.\n\n");
        foreach (var (_, _, context) in Secrets)
        {
            report.Append(context).Append("\n\n");
        }

        report.Append("Contact the responders at ir-team@example.org or +44 20 7946 0958.\n");
        return report.ToString();
    }

    [Fact]
    public void EverySecretIsReplaced_AndEveryIndicatorKept()
    {
        Assert.True(Secrets.Select(s => s.Kind).Distinct().Count() >= 15, "at least 15 kinds of secret are planted");
        var counts = new Dictionary<string, int>();

        var scrubbed = new SecretScrubber().Scrub(ThreatReport(), counts);

        foreach (var (kind, secret, _) in Secrets)
        {
            Assert.False(scrubbed.Contains(secret, StringComparison.Ordinal), $"{kind} secret survived: {secret}");
            Assert.Contains($"[{kind}]", scrubbed, StringComparison.Ordinal);
        }

        foreach (var indicator in Indicators)
        {
            Assert.True(scrubbed.Contains(indicator, StringComparison.Ordinal), $"indicator lost: {indicator}");
        }

        Assert.Contains("[EMAIL]", scrubbed, StringComparison.Ordinal);
        Assert.Contains("[PHONE]", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("ir-team@example.org", scrubbed, StringComparison.Ordinal);
        Assert.Contains("ftp://backup:[PASSWORD]@files.corp-backup.net/drop/", scrubbed, StringComparison.Ordinal);
        Assert.Equal(2, counts["PASSWORD"]);
    }

    [Fact]
    public void PersonalData_CanBeLeftInPlace()
    {
        var text = "Mail abuse@example.org or call +1 415 555 2671 about 203.0.113.45.";
        Assert.Equal(text, new SecretScrubber(emails: false, phones: false).Scrub(text));
    }

    [Fact]
    public void ProseAboutPasswords_IsNotMistakenForASecret()
    {
        var text = "Set password: use a long passphrase, and never reuse the token: it is yours alone. Version 10.2.3.4 fixed it on 2024-05-06.";
        Assert.Equal(text, new SecretScrubber().Scrub(text));
    }
}
