using System.IO.Hashing;
using System.Text;
using SecForge.Alignment.Triage;

namespace SecForge.Alignment.Rewriting;

/// <summary>
/// The deterministic rewriter (no model): a dual-use reply is kept verbatim between an opening on authorisation,
/// scope and the legal and ethical context and a closing on isolated-lab use and category-specific detection and
/// mitigation; a harmful reply becomes a refusal with a category-specific defensive alternative. Wording variants
/// are chosen by a hash of the request, so the same input always gives the same bytes.
/// </summary>
public sealed class TemplateRewriter : IRewriter
{
    private static readonly string[] Openings =
    [
        "**Authorisation and scope.** Use the following only on systems you own or are explicitly authorised in writing to test, and stay within the agreed scope and rules of engagement.\n\n"
            + "**Legal and ethical context.** Using these techniques against systems without permission is illegal in most countries (for example under the CFAA in the US or the Computer Misuse Act in the UK) and can harm real people; follow your organisation's policy and report what you find through responsible disclosure.",
        "**Authorisation and scope.** This is for authorised security testing and education only: get written permission from the system owner first and keep to the scope you agreed.\n\n"
            + "**Legal and ethical context.** Unauthorised access or disruption is a crime under laws such as the CFAA and the Computer Misuse Act; act ethically, protect any data you encounter, and disclose findings responsibly to the owner.",
        "**Authorisation and scope.** Only apply this where you have explicit, written authorisation, such as a signed penetration-test contract or your own equipment, and only within the scope of the engagement.\n\n"
            + "**Legal and ethical context.** Doing this to other people's systems without consent is illegal and unethical, whatever the intent; document your work and follow responsible disclosure for anything you discover.",
    ];

    private static readonly string[] Labs =
    [
        "**Isolated lab.** Practise this in an isolated lab environment (virtual machines on a host-only network, with snapshots to roll back), never on production systems or networks you do not control.",
        "**Isolated lab.** Run it only in an isolated lab environment that cannot reach production or the internet, such as snapshotted virtual machines on a host-only network.",
    ];

    private static readonly Dictionary<string, string> Detection = new(StringComparer.Ordinal)
    {
        ["malware"] = "Defenders detect this with EDR telemetry and Sysmon (new autostart entries, unsigned binaries in user-writable folders, unusual child processes) and mitigate it with application allow-listing, least privilege and timely patching; turn what you learn into a YARA or Sigma rule.",
        ["social-engineering"] = "Mitigate it with phishing-resistant MFA (FIDO2 keys), DMARC, SPF and DKIM, a one-click way to report suspicious messages and regular awareness training; detect it by monitoring for lookalike domains and unusual sign-ins.",
        ["dos"] = "Detect it by monitoring request rates, half-open connections and bandwidth, and mitigate it with rate limiting, SYN cookies, resource limits and an upstream DDoS protection service; keep load tests inside agreed maintenance windows.",
        ["mitm"] = "Mitigate it with TLS everywhere plus HSTS, SMB signing, disabled LLMNR and NBT-NS, Dynamic ARP Inspection and WPA3; detect it with arpwatch, wireless intrusion detection and certificate-transparency monitoring.",
        ["zero-day"] = "Mitigate this class of bug with memory-safe code, compiler hardening (stack protectors, ASLR, control-flow integrity), fuzzing in CI and prompt patching; report any new vulnerability to the vendor through coordinated disclosure before publishing.",
        ["password-attacks"] = "Detect it through bursts of failed logons (Windows Event IDs 4625 and 4771) and anomalous ticket requests (4769), and mitigate it with long unique passwords, phishing-resistant MFA, lockout with throttling, Credential Guard and LAPS.",
        ["iot"] = "Mitigate it by changing default credentials, updating firmware, segmenting devices on their own VLAN and disabling unused services such as Telnet and UPnP; detect abuse by monitoring traffic on the IoT segment.",
        ["injection"] = "Fix the root cause with parameterised queries, context-aware output encoding, strict input validation and a Content Security Policy; detect attempts in web server and WAF logs.",
        ["none"] = "Monitor the systems involved for misuse, apply the vendor's hardening guidance and patches, and review logs for signs of this activity.",
    };

    private static readonly string[] Refusals =
    [
        "I can't help with this. The request aims to harm people or systems that have not consented, which is illegal and could cause real damage.",
        "I won't help with that: it targets someone else's systems, accounts or safety without their permission, which is unlawful and harmful.",
    ];

    private static readonly Dictionary<string, string> Alternatives = new(StringComparer.Ordinal)
    {
        ["malware"] = "how to detect and remove malicious software, write YARA or Sigma rules for it, or set up an isolated malware-analysis lab to study samples safely.",
        ["social-engineering"] = "how to recognise and report phishing and scams, configure DMARC, SPF and DKIM, or run an authorised awareness campaign for your own organisation.",
        ["dos"] = "how to protect a service against denial-of-service attacks with rate limiting, SYN cookies and an upstream mitigation provider, or how to load test your own systems safely.",
        ["mitm"] = "how to protect a network against interception with TLS, HSTS, SMB signing and WPA3, and how to detect ARP spoofing on networks you manage.",
        ["zero-day"] = "how to report a vulnerability responsibly to the vendor or a bug bounty programme, and how to defend affected systems until a patch is available.",
        ["password-attacks"] = "how to secure accounts with a password manager and phishing-resistant MFA, or how to regain access to your own account through the provider's official recovery process.",
        ["iot"] = "how to secure connected devices: change default credentials, update firmware and put them on their own network segment.",
        ["injection"] = "how to find and fix injection flaws in your own code with parameterised queries, output encoding and a Content Security Policy.",
        ["none"] = "the defensive side of this topic: how to detect it, prevent it and respond to it.",
    };

    public string Name => "template";

    public Task<RewriteOutcome> RewriteAsync(string prompt, string response, TriageResult triage, CancellationToken cancellationToken) =>
        Task.FromResult(new RewriteOutcome(Rewrite(prompt, response, triage)));

    /// <summary>The rewrite of one reply (benign replies come back unchanged).</summary>
    public static string Rewrite(string prompt, string response, TriageResult triage)
    {
        ArgumentNullException.ThrowIfNull(triage);
        var variant = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(prompt));
        var category = TriageClasses.CategoryName(triage.Harm);
        return triage.Class switch
        {
            TriageClass.DualUse => string.Concat(
                Openings[variant % (uint)Openings.Length], "\n\n", response.Trim(), "\n\n",
                Labs[(variant / 3) % (uint)Labs.Length], "\n\n", "**Detection and mitigation.** ", Detection[category]),
            TriageClass.Harmful => string.Concat(Refusals[variant % (uint)Refusals.Length], "\n\n", "What I can help with instead: ", Alternatives[category]),
            _ => response,
        };
    }
}
