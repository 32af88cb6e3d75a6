using System.Text.RegularExpressions;

namespace SecForge.Curation.Extraction;

/// <summary>
/// Short blocks that are page furniture by what they say, in the languages of the web's largest shares: headings
/// that introduce related links ("Read also", "Mehr zum Thema", "À lire aussi"), calls to subscribe, share or
/// follow, copyright and advertising notices, photo credits. Only blocks of at most <see cref="MaxLength"/>
/// characters are judged, so a paragraph of prose that mentions a newsletter is never dropped.
/// </summary>
internal static partial class BoilerplatePhrases
{
    /// <summary>Longer blocks are never judged by their words.</summary>
    public const int MaxLength = 160;

    /// <summary>True when <paramref name="block"/> (one rendered heading or paragraph) is furniture.</summary>
    public static bool IsBoilerplate(string block)
    {
        if (block.Length > MaxLength)
        {
            return false;
        }

        return Anywhere().IsMatch(block) || AtStart().IsMatch(block);
    }

    [GeneratedRegex(
        """
        \b(?:read\ (?:more|also|next)|see\ also|more\ (?:from|stories|on\ this)|related\ (?:articles?|posts?|stories|content|topics)|you\ (?:may|might)\ also\ like|recommended\ for\ you|most\ (?:popular|read)|about\ the\ author|share\ (?:this|on|the\ article)|follow\ (?:us|the\ )|subscribe|sign\ up|newsletter|all\ rights\ reserved|copyrighted|this\ post\ contains|affiliate\ links?|we\ want\ to\ hear|if\ you\ enjoyed|stay\ up[-\ ]to[-\ ]date|want\ to\ be\ informed|leave\ a\ (?:comment|reply)|missed\ the\ main\ event|written\ permission|all\ content\ ©
        |mehr\ (?:zum\ thema|aus\ de[mr]|interessantes|artikel|dazu)|das\ könnte\ (?:sie|dich)\ (?:auch\ )?interessieren|ähnliche\ (?:beiträge|artikel)|lesen\ sie\ auch|auch\ lesen|weitere\ (?:artikel|beiträge|themen)|über\ den\ autor|artikel\ teilen|jetzt\ (?:abonnieren|teilen|auch\ digital)|gefällt\ dir|alle\ angaben\ ohne\ gewähr|dieser\ text\ wurde\ veröffentlicht|meist(?:gelesen|-diskutiert|\ gelesen)|zuletzt\ aktualisiert|beitrag\ wurde\ am
        |à\ lire\ aussi|lire\ aussi|sur\ le\ même\ sujet|voir\ aussi|abonnez-vous|tous\ droits\ réservés|vidéos\ sur\ le\ sujet
        |te\ puede\ interesar|lee\ también|lea\ también|noticias\ relacionadas|suscríbete|todos\ los\ derechos\ reservados|puede\ escribirnos
        |leggi\ anche|potrebbe\ interessarti|articoli\ correlati|tutti\ i\ diritti\ riservati
        |zobacz\ (?:też|także)|czytaj\ (?:też|także)|zapraszamy\ (?:też\ )?do\ subskrypcji|materiał\ chroniony
        )
        """,
        RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Anywhere();

    [GeneratedRegex(
        """
        ^[\s*\-–—(\[]*(?:©|\(c\)\ |copyright\b|advertisement\b|anzeige\b|werbung\b|publicidad\b|publicité\b|sponsored\b|photo(?:graph)?\ (?:by|credit)|photo:|foto:|fotos:|bild:|bildquelle|image:|credit:|titelbild|quelle:|source:\ |mira:|tags:|themen:|schlagwörter|filed\ under|posted\ in|kontakt:|ansprechpartner|last\ (?:modified|updated):)
        """,
        RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex AtStart();
}
