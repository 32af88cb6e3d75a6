// Inline word lists read better than dozens of static fields here, and the generator runs once.
#pragma warning disable CA1861

using System.Globalization;
using System.Net;
using System.Text;
using SecForge.Core.IO;
using SecForge.Core.Randomness;
using SecForge.Curation.Writers;

namespace SecForge.Curation.Samples;

/// <summary>
/// Writes SecForge's sample crawl: a WARC.gz in Common Crawl's layout holding about 200 pages of made-up sites —
/// security advisories, threat reports with indicators, detection and hardening guides (some with planted
/// secrets), and pages that are not about security, including hard negatives (an "attack" in football, a
/// "virus" in biology, an "exploit" in a game) — with near-duplicate and exact copies, site boilerplate,
/// German pages, redirects and non-HTML responses. Everything is generated from templates and a seed, so the
/// file is the same bytes every time.
/// </summary>
public static class SampleCrawlGenerator
{
    /// <summary>A generated page before it is written.</summary>
    public sealed record SamplePage(string Url, string Title, string Html, string Kind);

    private static readonly DateTimeOffset Epoch = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the crawl to <paramref name="path"/> and returns its pages by kind.</summary>
    public static IReadOnlyDictionary<string, int> Write(string path, int seed = 2025)
    {
        var pages = Pages(seed);
        AtomicFile.Write(path, stream =>
        {
            using var warc = new WarcWriter(stream);
            var random = new SplitMix64((ulong)seed ^ 0xA5A5);
            var time = Epoch;
            string NextId() => new Guid(BitConverter.GetBytes(random.NextUInt64()).Concat(BitConverter.GetBytes(random.NextUInt64())).ToArray()).ToString();
            warc.WriteInfo(NextId(), time, Path.GetFileName(path), "SecForge sample crawl generator");
            var index = 0;
            foreach (var page in pages)
            {
                time = time.AddSeconds(7);
                warc.WriteRequest(NextId(), time, page.Url);
                warc.WriteResponse(NextId(), time, page.Url, 200, "text/html; charset=UTF-8", Encoding.UTF8.GetBytes(page.Html));
                if (++index % 25 == 0)
                {
                    // Records a crawl also holds that are not documents.
                    var host = new Uri(page.Url).Host;
                    warc.WriteResponse(NextId(), time, $"https://{host}/static/logo-{index}.png", 200, "image/png", PseudoBytes(random, 300));
                    warc.WriteResponse(NextId(), time, $"https://{host}/old-{index}", 301, "text/html", "<html><body>Moved</body></html>"u8, [("Location", page.Url)]);
                    warc.WriteResponse(NextId(), time, $"https://{host}/missing-{index}", 404, "text/html", "<html><body><h1>Not found</h1></body></html>"u8);
                    warc.WriteRecord("metadata", NextId(), time, page.Url, "application/warc-fields", "fetchTimeMs: 120\r\n"u8);
                }
            }

            warc.WriteResponse(NextId(), time, "https://docs.threatlab.example/whitepaper.pdf", 200, "application/pdf", PseudoBytes(random, 500));
        });
        return pages.GroupBy(p => p.Kind).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>The pages of the sample crawl, in crawl order.</summary>
    public static List<SamplePage> Pages(int seed = 2025)
    {
        var random = new SplitMix64((ulong)seed);
        var pages = new List<SamplePage>();
        var security = new List<SamplePage>();
        for (var i = 0; i < 40; i++)
        {
            security.Add(Advisory(random, i));
        }

        for (var i = 0; i < 24; i++)
        {
            security.Add(ThreatReport(random, i));
        }

        for (var i = 0; i < 16; i++)
        {
            security.Add(DetectionGuide(random, i));
        }

        for (var i = 0; i < 14; i++)
        {
            security.Add(HardeningGuide(random, i));
        }

        var other = new List<SamplePage>();
        for (var i = 0; i < 20; i++)
        {
            other.Add(Sport(random, i));
        }

        for (var i = 0; i < 14; i++)
        {
            other.Add(Biology(random, i));
        }

        for (var i = 0; i < 14; i++)
        {
            other.Add(Gaming(random, i));
        }

        for (var i = 0; i < 12; i++)
        {
            other.Add(Everyday(random, i));
        }

        var german = Enumerable.Range(0, 6).Select(i => GermanAdvisory(random, i)).ToList();

        // Syndicated copies: the same article on another site, lightly edited (near duplicates) or verbatim under
        // a tracking URL (exact duplicates).
        var copies = new List<SamplePage>();
        for (var i = 0; i < 18; i++)
        {
            var original = security[(i * 5) % security.Count];
            copies.Add(NearCopy(random, original, i));
        }

        for (var i = 0; i < 8; i++)
        {
            var original = security[(i * 7) + 3];
            copies.Add(original with { Url = original.Url + "?utm_source=newsletter&utm_medium=email", Kind = "exact-duplicate" });
        }

        pages.AddRange(security);
        pages.AddRange(other);
        pages.AddRange(german);
        pages.AddRange(copies);

        // Crawl order is not topic order.
        random.Shuffle(pages);
        return pages;
    }

    private static readonly string[] Vendors = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Adatum", "Litware", "Proseware", "Wingtip", "Lucerne", "Woodgrove", "Relecloud", "Trey"];
    private static readonly string[] Products = ["Gateway", "Mail Server", "VPN Concentrator", "Identity Manager", "File Transfer Appliance", "Web Console", "Backup Agent", "Print Service", "Container Registry", "Helpdesk Portal", "SSO Connector", "Edge Router"];
    private static readonly (string Name, string Cwe, string Impact)[] VulnTypes =
    [
        ("SQL injection", "CWE-89", "read and modify the backing database, including stored password hashes"),
        ("OS command injection", "CWE-78", "run arbitrary shell commands with the privileges of the service account"),
        ("path traversal", "CWE-22", "read arbitrary files such as configuration files holding credentials"),
        ("deserialization of untrusted data", "CWE-502", "execute code by sending a crafted serialized object"),
        ("authentication bypass", "CWE-287", "log in to the administrative interface without valid credentials"),
        ("server-side request forgery", "CWE-918", "make the appliance send requests to internal services, including cloud metadata endpoints"),
        ("heap-based buffer overflow", "CWE-122", "crash the service or execute code in its context"),
        ("cross-site scripting", "CWE-79", "run script in the browser of an administrator who views a crafted page"),
        ("use-after-free", "CWE-416", "corrupt memory and potentially gain code execution"),
        ("missing authorization", "CWE-862", "change settings reserved for administrators"),
        ("XML external entity injection", "CWE-611", "read local files and probe the internal network"),
        ("hard-coded credentials", "CWE-798", "authenticate with an undocumented maintenance account"),
    ];

    private static readonly string[] Components = ["REST API", "login endpoint", "file upload handler", "management interface", "SAML assertion parser", "report generator", "update service", "web administration console", "image thumbnailer", "LDAP synchronisation job"];
    private static readonly string[] Actors = ["Amber Kestrel", "Copper Lynx", "Silent Heron", "Night Orchid", "Granite Fox", "Saffron Moth", "Velvet Jackal", "Obsidian Owl", "Frost Mantis", "Cinder Wasp"];
    private static readonly string[] Families = ["NightLoader", "PaleRAT", "DustStealer", "HollowGate", "QuillBot", "RiftLock", "TallowMiner", "EmberShell"];
    private static readonly string[] Sectors = ["healthcare providers", "regional banks", "logistics companies", "universities", "municipal governments", "energy utilities", "law firms", "managed service providers"];
    private static readonly (string Id, string Name)[] Techniques =
    [
        ("T1566.001", "spearphishing attachment"), ("T1190", "exploitation of a public-facing application"), ("T1059.001", "PowerShell"),
        ("T1053.005", "scheduled tasks"), ("T1003.001", "LSASS memory dumping"), ("T1021.001", "Remote Desktop Protocol"),
        ("T1071.001", "web protocols for command and control"), ("T1486", "data encrypted for impact"), ("T1567.002", "exfiltration to cloud storage"),
        ("T1547.001", "registry run keys"), ("T1078", "valid accounts"), ("T1105", "ingress tool transfer"),
    ];

    private static SamplePage Advisory(SplitMix64 r, int i)
    {
        var vendor = Pick(r, Vendors);
        var product = Pick(r, Products);
        var (vuln, cwe, impact) = Pick(r, VulnTypes);
        var component = Pick(r, Components);
        var cve = $"CVE-{2024 + (i % 2)}-{20000 + (i * 731) + r.NextInt(500)}";
        var major = 3 + r.NextInt(9);
        var fixedVersion = $"{major}.{r.NextInt(20)}.{1 + r.NextInt(9)}";
        var score = (6.5 + (r.NextInt(35) / 10.0)).ToString("0.0", CultureInfo.InvariantCulture);
        var severity = double.Parse(score, CultureInfo.InvariantCulture) >= 9 ? "critical" : "high";
        var cli = product.ToLowerInvariant().Replace(' ', '-');
        var title = Pick(r, new[] { $"{vendor} {product} {vuln} vulnerability ({cve})", $"{cve}: {vuln} in {vendor} {product}", $"Patch now: {severity} {vuln} flaw in {product} ({cve})", $"{vendor} fixes {vuln} bug in {product} {component}" });
        var body = new StringBuilder();
        P(body, Pick(r, new[]
        {
            $"{vendor} has released a security update for {product} that fixes {cve}, a {severity} {vuln} vulnerability ({cwe}) in the {component}. Every version before {fixedVersion} is affected, and the flaw carries a CVSS v3.1 base score of {score}.",
            $"A {vuln} weakness ({cwe}) in the {component} of {vendor} {product} lets remote attackers take over unpatched systems. Tracked as {cve} and rated {score} on the CVSS v3.1 scale, it is fixed in release {fixedVersion}.",
            $"Administrators running {product} should install version {fixedVersion} this week. The release closes {cve}, which {vendor} rates {severity} ({score}), a {vuln} issue ({cwe}) reachable through the {component}.",
            $"{cve} is the latest {severity}-severity bug in {vendor}'s {product} line: a {vuln} flaw ({cwe}) in how the {component} handles requests. Builds from {fixedVersion} on are safe; the base score is {score}.",
        }));
        P(body, Pick(r, new[]
        {
            $"Anyone able to send requests to the {component} can {impact}.",
            $"Exploitation allows an attacker to {impact}, which in most environments leads to full compromise of the appliance.",
            $"In practice, that means an intruder could {impact} and pivot from there into the internal network.",
        }) + " " + Pick(r, new[] { "No user interaction is needed.", "The attack needs a low-privileged account, which many deployments hand out freely.", "Exposure is worst where the interface faces the internet.", "Internal-only deployments are at lower, but not zero, risk." }));
        P(body, Pick(r, new[]
        {
            $"{vendor} says it is aware of limited, targeted exploitation of {cve} in the wild, and CISA has added the flaw to its Known Exploited Vulnerabilities catalog.",
            $"No exploitation has been observed at the time of writing, but a researcher has published a proof of concept, so we expect attackers to weaponize it within days.",
            $"Our honeypots recorded scanning for the vulnerable {component} from several hosting providers within hours of the disclosure.",
            $"Exploit code circulated on underground forums shortly after the patch diff was analysed, and ransomware affiliates have a history of targeting {product}.",
        }));
        H(body, Pick(r, new[] { "Am I affected?", "Checking your exposure", "Which versions are vulnerable" }));
        P(body, Pick(r, new[]
        {
            $"Check the installed version on each appliance. Anything older than {fixedVersion} needs the update:",
            $"Run the following on every node and compare the build against {fixedVersion}:",
            $"The version string tells you whether a host still runs vulnerable code; {fixedVersion} and later are fixed:",
        }));
        Code(body, $"$ {cli} --version\n{cli} {major}.{r.NextInt(20)}.{r.NextInt(9)} (build {1000 + r.NextInt(8999)})");
        H(body, Pick(r, new[] { "What to do", "Mitigation", "Recommended actions", "Remediation steps" }));
        var steps = new List<string>
        {
            Pick(r, new[] { $"Upgrade to {fixedVersion} or later; the vendor's bulletin lists the fixed builds for each branch.", $"Apply the {fixedVersion} update from the vendor portal and reboot the service.", $"Move every node to {fixedVersion}, starting with internet-facing ones." }),
            $"If you cannot patch today, {Pick(r, new[] { $"block access to the {component} at the perimeter firewall", "restrict the management interface to a jump host", "disable the affected module until the maintenance window", "put the appliance behind a VPN and require multi-factor authentication" })}.",
            Pick(r, new[] { $"Search the web server logs for requests to the {component} with unusual parameters since {Epoch.AddDays(-(r.NextInt(40) + 10)):d MMMM yyyy}, and treat any hit as a possible compromise.", "Hunt for new administrator accounts, unexpected scheduled jobs and web shells in the application directory.", $"Compare file hashes of the installation against a clean {product} image to spot tampering." }),
            Pick(r, new[] { "Rotate credentials stored on the appliance once it is patched.", "Reset API tokens and service account passwords that the appliance could read.", "Review which secrets the service holds and rotate them after the upgrade." }),
        };
        r.Shuffle(steps);
        L(body, steps);
        P(body, Pick(r, new[]
        {
            $"This advisory will be updated as {vendor} publishes more details.",
            $"We will add indicators here if we see {cve} used in intrusions.",
            $"Contact {vendor} support if the upgrade fails on clustered deployments.",
        }));
        return Page("https://vulnwatch.example/advisories/" + Slug(cve), title, body.ToString(), "security", SecuritySite("VulnWatch", "vulnwatch.example"));
    }

    private static SamplePage ThreatReport(SplitMix64 r, int i)
    {
        var actor = Pick(r, Actors);
        var family = Pick(r, Families);
        var sector = Pick(r, Sectors);
        var initial = Pick(r, Techniques);
        var other = Enumerable.Range(0, 3).Select(_ => Pick(r, Techniques)).DistinctBy(t => t.Id).Where(t => t.Id != initial.Id).ToList();
        var title = $"{actor} targets {sector} with {family}";
        var body = new StringBuilder();
        P(body, $"Since {Epoch.AddDays(-(30 + r.NextInt(90))):MMMM yyyy} we have tracked a campaign by the threat actor we call {actor} against {sector}. The group gains initial access through {initial.Name} ({initial.Id}) and deploys {family}, a {Pick(r, new[] { "loader written in Go", "remote access trojan", "credential stealer", "ransomware payload" })} we had not seen before.");
        P(body, Pick(r, new[]
        {
            $"After the first foothold the operators move quickly: {string.Join(", ", other.Select(t => $"{t.Name} ({t.Id})"))}. In two intrusions they went from initial access to domain-wide compromise in under {2 + r.NextInt(20)} hours.",
            $"Post-compromise activity relies on {string.Join(" and ", other.Select(t => $"{t.Name} ({t.Id})"))}; dwell time before encryption or theft ranged from {1 + r.NextInt(5)} to {6 + r.NextInt(20)} days.",
            $"We observed {string.Join(", then ", other.Select(t => $"{t.Name} ({t.Id})"))}, always from the same small set of compromised administrator accounts.",
        }));
        if (i % 4 == 1)
        {
            P(body, $"One sample of {family} contained a hard-coded cloud credential the operators used for exfiltration, aws_access_key_id = AKIA{Upper(r, 16)} with aws_secret_access_key = {Base64ish(r, 40)}; we reported it to the provider, who disabled it.");
        }

        H(body, "Indicators of compromise");
        var rows = new StringBuilder();
        rows.Append("| Type | Indicator | Note |\n| --- | --- | --- |\n");
        rows.Append(CultureInfo.InvariantCulture, $"| IPv4 | 203.0.113.{r.NextInt(250) + 2} | command and control |\n");
        rows.Append(CultureInfo.InvariantCulture, $"| IPv4 | 198.51.100.{r.NextInt(250) + 2} | staging server |\n");
        rows.Append(CultureInfo.InvariantCulture, $"| Domain | {Lower(r, 6)}-update.top | {family} beacon |\n");
        rows.Append(CultureInfo.InvariantCulture, $"| SHA-256 | {Hex(r, 64)} | {family} loader |\n");
        rows.Append(CultureInfo.InvariantCulture, $"| MD5 | {Hex(r, 32)} | dropper |\n");
        body.Append("<table><tr><th>Type</th><th>Indicator</th><th>Note</th></tr>");
        foreach (var line in rows.ToString().Split('\n').Skip(2).Where(l => l.Length > 0))
        {
            var cells = line.Trim('|').Split('|').Select(c => WebUtility.HtmlEncode(c.Trim()));
            body.Append("<tr>").Append(string.Concat(cells.Select(c => $"<td>{c}</td>"))).Append("</tr>");
        }

        body.Append("</table>\n");
        H(body, "Detection and response");
        P(body, Pick(r, new[]
        {
            $"Hunt for {family} by its beaconing interval of about {30 + r.NextInt(90)} seconds to newly registered domains, and for scheduled tasks created by rundll32.exe. Isolate affected hosts, reset the credentials of every account used on them, and review VPN logs for logins from the addresses above.",
            $"Block the indicators at the proxy and the firewall, then search endpoint telemetry for the {family} hash and for outbound TLS sessions to the listed addresses over the past {30 + r.NextInt(60)} days.",
            $"Defenders should alert on new services installed from temporary directories and on LSASS access by unsigned binaries; both preceded every {family} deployment we investigated.",
        }));
        P(body, Pick(r, new[]
        {
            $"We attribute the campaign to {actor} with moderate confidence, based on overlapping infrastructure and code reuse with earlier {Pick(r, Families)} operations.",
            $"Attribution remains tentative: the tooling resembles {Pick(r, Families)}, but infrastructure reuse alone is weak evidence.",
            $"Shared TLS certificates and identical build paths link this activity to {actor}'s operations last year.",
        }));
        return Page($"https://threatlab.example/research/{Slug(title)}", title, body.ToString(), "security", SecuritySite("ThreatLab", "threatlab.example"), boilerplateParagraph: "ThreatLab research posts are written by our analysts; the indicators are shared under TLP:CLEAR and may be used freely for detection.");
    }

    private static SamplePage DetectionGuide(SplitMix64 r, int i)
    {
        var (techniqueId, technique) = Pick(r, Techniques);
        var process = Pick(r, new[] { "rundll32.exe", "regsvr32.exe", "mshta.exe", "certutil.exe", "wmic.exe", "schtasks.exe", "powershell.exe" });
        var title = $"Detecting {technique} with Sigma and KQL ({techniqueId})";
        var body = new StringBuilder();
        P(body, Pick(r, new[]
        {
            $"Adversaries abuse {process} for {technique} because it is signed by Microsoft and present on every Windows host. This guide shows a Sigma rule and the equivalent Microsoft Sentinel query for {techniqueId}, with the false positives we met in production.",
            $"{technique} ({techniqueId}) through {process} shows up in a large share of the intrusions we handle. Below are a portable Sigma rule and a KQL hunt that caught it in our environment.",
            $"Living-off-the-land binaries such as {process} let intruders blend in. Here is how we detect their use for {technique}, mapped to ATT&CK {techniqueId}.",
        }));
        H(body, "Sigma rule");
        Code(body, $"title: Suspicious {process} child process\nid: {Hex(r, 8)}-{Hex(r, 4)}-{Hex(r, 4)}-{Hex(r, 4)}-{Hex(r, 12)}\nstatus: experimental\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  selection:\n    ParentImage|endswith: '\\{process}'\n    Image|endswith:\n      - '\\cmd.exe'\n      - '\\powershell.exe'\n  condition: selection\nlevel: {Pick(r, new[] { "high", "medium" })}\ntags:\n  - attack.{techniqueId.ToLowerInvariant()}");
        H(body, "Microsoft Sentinel (KQL)");
        Code(body, $"DeviceProcessEvents\n| where InitiatingProcessFileName =~ \"{process}\"\n| where FileName in~ (\"cmd.exe\", \"powershell.exe\")\n| summarize count() by DeviceName, InitiatingProcessCommandLine\n| order by count_ desc");
        P(body, Pick(r, new[]
        {
            $"Expect noise from {Pick(r, new[] { "software deployment tools", "legacy line-of-business installers", "endpoint management agents" })}; baseline them for a week and add exclusions by hash, not by path, so an attacker cannot hide by copying {process} elsewhere.",
            $"The rule fired {3 + r.NextInt(40)} times a day in our lab before tuning; most hits came from patch management, which we excluded by signer.",
            "False positives are rare once installers are excluded, so we page the on-call analyst on every match.",
        }));
        P(body, Pick(r, new[]
        {
            $"Test the rule with Atomic Red Team test {1 + r.NextInt(9)} for {techniqueId} before you deploy it, and route matches to the SOC triage queue with the command line attached.",
            $"Validate it against recorded attack data first; a detection that never fires in testing will not fire during an intrusion either.",
            $"Pair the alert with an automated enrichment step that pulls the parent process tree and recent network connections of the host.",
        }));
        return Page($"https://secops-notes.example/detections/{Slug(title)}-{i}", title, body.ToString(), "security", SecuritySite("SecOps Notes", "secops-notes.example"));
    }

    private static SamplePage HardeningGuide(SplitMix64 r, int i)
    {
        var topic = Pick(r, new[] { "OpenSSH", "nginx TLS", "PostgreSQL", "Kubernetes API server", "Windows RDP", "Active Directory service accounts" });
        var title = $"Hardening {topic}: a checklist for production ({i + 1})";
        var body = new StringBuilder();
        P(body, Pick(r, new[]
        {
            $"Default {topic} settings favour compatibility over security. The checklist below is what we apply before a server faces the internet; each item closes a weakness we have seen attackers use in incident response engagements.",
            $"Most {topic} compromises we investigate trace back to settings nobody changed after installation. These are the controls we verify in every configuration review.",
            $"Use this list as a baseline for {topic}, then tighten it to your threat model; every item maps to a finding from our penetration tests.",
        }));
        L(body, new List<string>
        {
            "Disable password authentication and require keys or certificates for every administrator.",
            "Allow only current protocol versions and cipher suites; remove everything flagged by the vendor as deprecated.",
            "Log every authentication attempt to the SIEM and alert on bursts of failures, which indicate brute-force or password spraying.",
            $"Run the service with least privilege, as a dedicated account that cannot write to its own binaries ({Pick(r, new[] { "systemd ProtectSystem=strict", "a read-only root filesystem", "AppLocker rules" })}).",
        }.OrderBy(_ => r.NextInt(100)).Take(3 + r.NextInt(2)).ToList());
        Code(body, topic switch
        {
            "OpenSSH" => "PasswordAuthentication no\nPermitRootLogin no\nKexAlgorithms curve25519-sha256\nMaxAuthTries 3\nLogLevel VERBOSE",
            "nginx TLS" => "ssl_protocols TLSv1.2 TLSv1.3;\nssl_prefer_server_ciphers on;\nadd_header Strict-Transport-Security \"max-age=63072000\" always;",
            "PostgreSQL" => $"# pg_hba.conf\nhostssl all all 10.0.0.0/8 scram-sha-256\n# application connection string (rotated after this audit)\nServer=db01;Database=orders;User Id=app;Password={Base64ish(r, 14)}!;",
            _ => "# review with your platform team before applying\naudit-log-path=/var/log/kube-audit.log\nanonymous-auth=false\nauthorization-mode=Node,RBAC",
        });
        P(body, Pick(r, new[]
        {
            "After the change, scan the host again with your vulnerability scanner and compare the findings with the previous baseline. Keep the configuration in version control so drift shows up in code review.",
            "Document every deviation from the baseline with an owner and an expiry date; exceptions without an owner tend to become permanent.",
            "Automate the checks in your configuration management tool so a rebuilt server cannot come back with weaker settings.",
        }));
        if (i % 3 == 0)
        {
            P(body, $"Questions about the checklist? Write to the author at {Lower(r, 5)}.{Lower(r, 6)}@secops-notes.example or call +1 415 555 {1000 + r.NextInt(8999)}.");
        }

        return Page($"https://secops-notes.example/hardening/{Slug(title)}", title, body.ToString(), "security", SecuritySite("SecOps Notes", "secops-notes.example"));
    }

    private static readonly string[] Teams = ["Riverside Rovers", "Harbour City", "Northgate United", "Kingsbridge Athletic", "Eastfield Wanderers", "Millbrook Town", "Westport Albion", "Crown Park Rangers"];

    private static SamplePage Sport(SplitMix64 r, int i)
    {
        var home = Pick(r, Teams);
        var away = Pick(r, Teams.Where(t => t != home).ToArray());
        var homeGoals = r.NextInt(4);
        var awayGoals = r.NextInt(3);
        var title = $"{home} {homeGoals}–{awayGoals} {away}: match report";
        var body = new StringBuilder();
        P(body, $"{home} {(homeGoals > awayGoals ? "beat" : homeGoals == awayGoals ? "drew with" : "lost to")} {away} {homeGoals}–{awayGoals} on {Pick(r, new[] { "Saturday", "Sunday", "Tuesday night" })} in front of {12000 + r.NextInt(30000):N0} fans. The home side's attack looked sharp from the first whistle, and their striker exploited the space behind a high defensive line again and again.");
        P(body, $"{away} defended deep after the break and tried to hit back on the counter-attack, but their wingers could not breach a well-organised back four. The manager admitted afterwards that the defence had been {Pick(r, new[] { "too passive", "caught out by the pressing", "tired after a long week" })}.");
        P(body, $"The decisive moment came in the {55 + r.NextInt(30)}th minute, when a corner was only half cleared and {Pick(r, new[] { "the captain", "a substitute", "the centre-back" })} volleyed in from the edge of the box. The referee checked for offside but the goal stood.");
        P(body, $"{home} move up to {1 + r.NextInt(12)}th in the table. Their next match is away at {Pick(r, Teams)}, who have the best home record in the league this season.");
        return Page($"https://matchday.example/reports/{Slug(title)}-{i}", title, body.ToString(), "non-security", OtherSite("Matchday", "matchday.example"));
    }

    private static SamplePage Biology(SplitMix64 r, int i)
    {
        var virus = Pick(r, new[] { "influenza virus", "a bacteriophage", "the measles virus", "a rhinovirus", "a plant mosaic virus", "a coronavirus" });
        var title = $"How {virus} gets past the immune system's first line of defence";
        var body = new StringBuilder();
        P(body, $"When {virus} infects a host cell, it has minutes to hijack the cell's machinery before the innate immune response raises the alarm. Researchers at {Pick(r, new[] { "a university in Leiden", "a lab in Montreal", "a research institute in Melbourne", "a hospital in Lyon" })} have now mapped how the virus hides its genetic material from the sensors that would trigger an attack by interferon.");
        P(body, $"The team grew infected cells under a microscope and tracked {Pick(r, new[] { "viral RNA", "protein shells", "membrane proteins" })} over {6 + r.NextInt(40)} hours. They found that the virus exploits a folding trick: its genome is wrapped so tightly that the cell's receptors cannot bind to it.");
        P(body, $"Vaccines train the adaptive immune system to recognise the virus before an infection spreads, but they do not stop this first step. The authors hope the finding will help design antiviral drugs that unmask the virus early in an infection.");
        P(body, $"The study was published in {Pick(r, new[] { "Nature Microbiology", "Cell Host & Microbe", "PLOS Pathogens" })} and was funded by public research grants. Independent virologists called the results convincing but said they need to be confirmed in animals.");
        return Page($"https://biologynow.example/articles/{Slug(title)}-{i}", title, body.ToString(), "non-security", OtherSite("Biology Now", "biologynow.example"));
    }

    private static SamplePage Gaming(SplitMix64 r, int i)
    {
        var game = Pick(r, new[] { "Starfall Odyssey", "Dungeon Circuit", "Skyreach Racing", "Ember Tactics", "Hollow Knightfall", "Pixel Frontier" });
        var title = $"{game} patch {1 + r.NextInt(4)}.{r.NextInt(10)}: speedrun exploit fixed, balance changes";
        var body = new StringBuilder();
        P(body, $"The latest patch for {game} closes the wall-clip exploit that speedrunners have used to skip the {Pick(r, new[] { "second boss", "castle level", "final chapter", "underwater maze" })}. Runners found the glitch in {Pick(r, new[] { "January", "the spring", "last autumn" })} and world records dropped by almost {2 + r.NextInt(10)} minutes.");
        P(body, $"Beyond the fix, the developers nerfed the {Pick(r, new[] { "lightning staff", "twin daggers", "heavy cannon", "healing totem" })}, which dominated ranked matches, and buffed underused characters. Players can expect longer matches and fewer one-shot builds.");
        P(body, $"The speedrunning community has already split its leaderboards into glitched and glitchless categories, so existing runs will keep their place. Some players asked the studio to keep a downgrade option so the exploit stays available for practice.");
        P(body, $"The patch is {200 + r.NextInt(800)} MB and rolls out on all platforms this week. Save files carry over, and achievements unlocked with the glitch will not be revoked.");
        return Page($"https://pixelquest.example/news/{Slug(title)}-{i}", title, body.ToString(), "non-security", OtherSite("PixelQuest", "pixelquest.example"));
    }

    private static SamplePage Everyday(SplitMix64 r, int i)
    {
        if (i % 2 == 0)
        {
            var dish = Pick(r, new[] { "lemon risotto", "roasted pumpkin soup", "chickpea curry", "sourdough focaccia", "apple crumble", "miso glazed salmon" });
            var title = $"Weeknight recipe: {dish}";
            var body = new StringBuilder();
            P(body, $"This {dish} takes about {25 + r.NextInt(40)} minutes and feeds four. It is the kind of dinner you can cook while talking about your day, with ingredients most kitchens already have.");
            L(body, ["Prepare the vegetables and measure the spices before you start.", "Cook on a medium heat and taste as you go.", "Let the dish rest for five minutes before serving."]);
            P(body, $"Leftovers keep for three days in the fridge. For a richer version, add a spoonful of {Pick(r, new[] { "butter", "cream", "tahini", "parmesan" })} at the end, and serve with a green salad dressed with lemon and olive oil.");
            P(body, "If you cook it, tell us how it went in the comments; we read every one and update the recipe when readers find a better way.");
            return Page($"https://kitchenstories.example/recipes/{Slug(title)}", title, body.ToString(), "non-security", OtherSite("Kitchen Stories", "kitchenstories.example"));
        }
        else
        {
            var city = Pick(r, new[] { "Lisbon", "Kraków", "Kyoto", "Valparaíso", "Tallinn", "Marrakesh" });
            var title = $"Three days in {city} on a budget";
            var body = new StringBuilder();
            P(body, $"{city} rewards slow travellers. Stay in a guesthouse near the old town, buy a transit card on arrival, and plan one museum a day so you still have time to wander the markets and sit in cafés.");
            P(body, $"On the first day, walk the historic centre early, before the tour groups arrive. The second day is for the viewpoints and the food halls; on the third, take a local train to the coast or the hills outside {city} for a picnic.");
            P(body, $"Budget roughly {40 + r.NextInt(60)} euros a day for food and transport. Carry some cash for small bakeries, and check opening hours, which change in winter.");
            return Page($"https://wanderlust.example/guides/{Slug(title)}", title, body.ToString(), "non-security", OtherSite("Wanderlust", "wanderlust.example"));
        }
    }

    private static SamplePage GermanAdvisory(SplitMix64 r, int i)
    {
        var vendor = Pick(r, Vendors);
        var product = Pick(r, Products);
        var cve = $"CVE-2025-{30000 + (i * 311)}";
        var title = $"Sicherheitslücke in {vendor} {product} ({cve})";
        var body = new StringBuilder();
        P(body, $"{vendor} hat ein Sicherheitsupdate für {product} veröffentlicht, das die Schwachstelle {cve} schließt. Ein Angreifer aus dem Netzwerk kann ohne Anmeldung Befehle auf dem System ausführen, wenn die Verwaltungsoberfläche aus dem Internet erreichbar ist.");
        P(body, $"Betroffen sind alle Versionen vor {3 + r.NextInt(8)}.{r.NextInt(10)}. Das BSI empfiehlt, das Update umgehend einzuspielen und die Protokolle der letzten Wochen auf ungewöhnliche Zugriffe zu prüfen.");
        P(body, "Wer das Update nicht sofort installieren kann, sollte den Zugriff auf die Verwaltungsoberfläche auf ein internes Netz beschränken und Zugangsdaten, die auf dem Gerät gespeichert sind, nach der Aktualisierung ändern.");
        return Page($"https://sicherheit-aktuell.example/meldungen/{Slug(cve)}", title, body.ToString(), "german", SecuritySite("Sicherheit aktuell", "sicherheit-aktuell.example"));
    }

    private static SamplePage NearCopy(SplitMix64 r, SamplePage original, int i)
    {
        // Another site republishes the article: new furniture, a sentence of its own, a few words changed.
        var start = original.Html.IndexOf("<div class=\"entry-content\">", StringComparison.Ordinal);
        var end = original.Html.IndexOf("<!-- /entry-content -->", StringComparison.Ordinal);
        var content = original.Html[(start + 27)..end];
        content = content.Replace(" quickly", " rapidly", StringComparison.Ordinal).Replace("We ", "The team ", StringComparison.Ordinal);
        content = $"<p><em>Republished with permission from the original research blog.</em> {WebUtility.HtmlEncode(Pick(r, new[] { "Our editors added context for readers in Europe.", "The summary below is lightly edited.", "Links were updated for this edition." }))}</p>\n" + content;
        return Page($"https://cyber-digest.example/{i:D3}/{Slug(original.Title)}", original.Title, content, "near-duplicate", SecuritySite("Cyber Digest", "cyber-digest.example"));
    }

    private sealed record Site(string Name, string Domain, string[] Menu, string[] Related);

    private static Site SecuritySite(string name, string domain) => new(name, domain, ["Advisories", "Research", "Detections", "Podcast", "About"], ["Weekly threat roundup", "Patch Tuesday summary", "Our incident response retainer"]);

    private static Site OtherSite(string name, string domain) => new(name, domain, ["Home", "Latest", "Popular", "Newsletter", "Contact"], ["Editor's picks", "Most read this week", "From our archive"]);

    private static SamplePage Page(string url, string title, string content, string kind, Site site, string? boilerplateParagraph = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(kind == "german" ? "de" : "en").Append("\"><head><meta charset=\"utf-8\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>{WebUtility.HtmlEncode(title)} | {site.Name}</title><link rel=\"stylesheet\" href=\"/static/site.css\"><script>window.analytics = {{ id: 'UA-000' }};</script></head>\n<body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<header class=\"site-header\"><a class=\"logo\" href=\"/\">{site.Name}</a><nav class=\"main-nav\"><ul>{string.Concat(site.Menu.Select(m => $"<li><a href=\"/{m.ToLowerInvariant()}\">{m}</a></li>"))}</ul></nav></header>\n");
        html.Append("<div class=\"cookie-banner\">We use cookies to improve your experience. By continuing to browse you accept our cookie policy. <button>Accept</button></div>\n");
        html.Append(CultureInfo.InvariantCulture, $"<main><article class=\"post\"><h1>{WebUtility.HtmlEncode(title)}</h1><p class=\"byline\">By the {site.Name} team</p>\n<div class=\"entry-content\">{content}");
        if (boilerplateParagraph is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{WebUtility.HtmlEncode(boilerplateParagraph)}</p>");
        }

        html.Append("<!-- /entry-content --></div>\n");
        html.Append("<div class=\"share-bar\">Share this article: <a href=\"#\">Twitter</a> <a href=\"#\">LinkedIn</a> <a href=\"#\">Email</a></div>\n");
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"related-posts\"><h3>Related articles</h3><ul>{string.Concat(site.Related.Select(p => $"<li><a href=\"/{Slug(p)}\">{p}</a></li>"))}</ul></section>\n");
        html.Append("<section class=\"comments\"><h3>2 comments</h3><div class=\"comment\"><p>Great write-up, thanks for sharing!</p></div><div class=\"comment\"><p>First!!!</p></div></section>\n");
        html.Append("</article></main>\n");
        html.Append(CultureInfo.InvariantCulture, $"<aside class=\"sidebar\"><h3>Newsletter</h3><p>Get the best of {site.Name} in your inbox every Friday.</p><form><input type=\"email\"><button>Subscribe</button></form></aside>\n");
        html.Append(CultureInfo.InvariantCulture, $"<footer class=\"site-footer\"><p>© 2025 {site.Name}. All rights reserved.</p><a href=\"/privacy\">Privacy policy</a> <a href=\"/terms\">Terms of use</a></footer>\n</body></html>\n");
        return new SamplePage(url, title, html.ToString(), kind);
    }

    private static void P(StringBuilder html, string text) => html.Append("<p>").Append(WebUtility.HtmlEncode(text)).Append("</p>\n");

    private static void H(StringBuilder html, string text) => html.Append("<h2>").Append(WebUtility.HtmlEncode(text)).Append("</h2>\n");

    private static void L(StringBuilder html, IEnumerable<string> items) =>
        html.Append("<ul>").Append(string.Concat(items.Select(i => $"<li>{WebUtility.HtmlEncode(i)}</li>"))).Append("</ul>\n");

    private static void Code(StringBuilder html, string code) => html.Append("<pre><code>").Append(WebUtility.HtmlEncode(code)).Append("</code></pre>\n");

    private static T Pick<T>(SplitMix64 r, IReadOnlyList<T> items) => items[r.NextInt(items.Count)];

    private static string Slug(string text) => new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-').Replace("--", "-", StringComparison.Ordinal);

    private static string Hex(SplitMix64 r, int length) => string.Concat(Enumerable.Range(0, length).Select(_ => "0123456789abcdef"[r.NextInt(16)]));

    private static string Upper(SplitMix64 r, int length) => string.Concat(Enumerable.Range(0, length).Select(_ => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[r.NextInt(32)]));

    private static string Lower(SplitMix64 r, int length) => string.Concat(Enumerable.Range(0, length).Select(_ => "abcdefghijklmnopqrstuvwxyz"[r.NextInt(26)]));

    private static string Base64ish(SplitMix64 r, int length) => string.Concat(Enumerable.Range(0, length).Select(_ => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[r.NextInt(62)]));

    private static byte[] PseudoBytes(SplitMix64 r, int length) => Enumerable.Range(0, length).Select(_ => (byte)r.NextInt(256)).ToArray();
}
