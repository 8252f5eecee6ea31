"""The words behind the local prompt screen.

A teacher's disallow list names *topics* ("nudity", "weapons"); a topic the screen knows is
expanded here into the words children actually type, in English and a few common words of
Spanish, French, German, Italian, Portuguese and Dutch. An entry the screen does not know is
matched as it is written. Multi-word entries are phrases: every word must appear, in order.

The swear-word list comes from the ``better-profanity`` package (kept up to date by its
maintainers, shipped as a plain text file). Its list is written for chat filters, so it holds
words that are innocent in a classroom ("god", "pot", "virgin", "hump", "organ", "slave",
"paddy"...): :data:`CLASSROOM_WORDS` removes those.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources

log = logging.getLogger(__name__)

#: Topic -> reason category shown in the audit log.
TOPIC_CATEGORY: dict[str, str] = {
    "violence": "violence",
    "blood": "violence",
    "gore": "violence",
    "weapons": "weapons",
    "nudity": "nudity",
    "sexual content": "sexual",
    "adult content": "sexual",
    "drugs": "drugs",
    "alcohol": "drugs",
    "self-harm": "self-harm",
    "hate": "hate",
}

#: Topic -> words and phrases. Plurals and -ing/-ed forms are found by the screen, not listed.
TOPIC_WORDS: dict[str, frozenset[str]] = {
    "violence": frozenset(
        "kill killer murder murderer stab slaughter massacre torture torturer behead decapitate dismember "
        "corpse mutilate mangle strangle assassinate genocide lynch maim execution homicide hostage kidnap "
        "kidnapping terrorist terrorism bombing "
        # es fr de it nl
        "matar asesinar asesinato tuer meurtre ermorden mord uccidere omicidio moord doden".split()
    )
    | frozenset(
        {
            "burning cross",
            "dead body",
            "dead bodies",
            "beat up",
            "beating up",
            "blow up people",
            "school shooter",
            "school shooting",
            "mass shooter",
            "mass shooting",
            "active shooter",
            "shooting spree",
            "on fire screaming",
            "being whipped",
            "whipping a",
            "shot dead",
            "chainsaw massacre",
            "hanged man",
            "war crime",
        }
    ),
    "blood": frozenset(
        "blood bloody bleed bloodbath bloodshed bloodstained blood-soaked sangre sangriento ensangrentado sanglant "
        "ensanglante sangue sanguinante insanguinato blut blutig blutverschmiert bloed".split()
    )
    | frozenset({"du sang", "de sang", "le sang"}),
    "gore": frozenset("gore gory gruesome guts entrails disembowel decapitated".split()),
    "weapons": frozenset(
        "gun handgun shotgun rifle pistol revolver firearm sword dagger machete bomb grenade explosive "
        "bazooka ammo ammunition bullet uzi ak47 ar15 "
        "pistola escopeta fusil arma armas bomba arme armes waffe waffen pistole gewehr bombe fucile spada "
        "wapen geweer kanone".split()
    )
    | frozenset({"knife fight", "knife attack", "gunfight", "gunshot", "firing squad"}),
    "nudity": frozenset(
        "nude nudity naked topless bottomless undressed unclothed nudist "
        "undress undressing underwear skinny-dipping "
        "desnudo desnuda desnudos nue nues nus nackt nackte nackter nacktes nudo nuda nudi nua pelado pelada naakt "
        "naakte".split()
    )
    | frozenset(
        {
            "no clothes",
            "without clothes",
            "without any clothes",
            "no clothing",
            "without clothing",
            "bare breasts",
            "naked breasts",
            "bare bottom",
            "skinny dipping",
        }
    ),
    "sexual content": frozenset(
        "sex sexy sexual sexually porn porno pornography pornographic erotic erotica lingerie stripper striptease "
        "seductive seduce orgy nsfw xxx hentai fetish sexo sexe sesso sexuell".split()
    ),
    "adult content": frozenset("nsfw xxx explicit playboy brothel prostitute hooker onlyfans".split()),
    "drugs": frozenset(
        "drug cocaine heroin meth methamphetamine marijuana cannabis lsd ecstasy mdma "
        "opium fentanyl overdose stoned cigarette cigar cigars tobacco vape vaping nicotine bong "
        "droga drogas drogue drogues drogen kokain cocaina".split()
    )
    | frozenset(
        {
            "smoking weed",
            "smoke weed",
            "smokes weed",
            "snorting",
            "injecting",
            "smoking a joint",
            "rolling a joint",
            "getting high",
            "selling pills",
        }
    ),
    "alcohol": frozenset("vodka whisky whiskey tequila booze drunk".split()) | frozenset({"getting drunk"}),
    "self-harm": frozenset(
        "suicide suicidal noose selfharm self-harm wrist-cutting overdose "
        "suicidio suicidarse selbstmord suicidio zelfmoord".split()
    )
    | frozenset(
        {
            "self harm",
            "self harming",
            "cut myself",
            "cutting myself",
            "cutting her wrists",
            "cutting his wrists",
            "cut her wrists",
            "cut his wrists",
            "cut my wrists",
            "cutting wrists",
            "hurt myself",
            "kill myself",
            "kill himself",
            "kill herself",
            "kill themselves",
            "end my life",
            "hang myself",
            "cutting themselves",
            "cutting himself",
            "cutting herself",
            "cut themselves",
            "hurting themselves",
            "hurting herself",
            "hurting himself",
            "hang himself",
            "hang herself",
            "hang themselves",
            "hanging himself",
            "hanging herself",
            "hanging myself",
            "slit wrists",
            "slitting her wrists",
            "slitting his wrists",
        }
    ),
    "hate": frozenset(
        "nazi swastika kkk klan hitler heil nigger nigga faggot fag kike chink spic gook "
        "wetback raghead tranny retard".split()
    ),
}

#: Words of the better-profanity list that are innocent in a classroom (animals, places, body
#: words a science lesson uses, history, mild words), plus the ones a topic above already covers
#: (so the teacher's list, not this one, decides them: "kill", "heroin", "vodka"...).
CLASSROOM_WORDS: frozenset[str] = frozenset(
    """
    god gay gays homo homey pot organ slave slaves paddy pawn rum maxi revue sandbar seaman seamen
    virgin hump humped humping hooters hooter hooch hookah hemp weed screw screwed screwing suck sucked
    sucking hell damn drunk thrust tramp pee poop potty womb ovary ovum ovums uterus nipple nipples
    breasts slope sniper snatch woody willy willies wad teat tinkle whiz knob vixen pasty pastie dink
    dinks flange loin loins lust lusting jerk jerked moron nimrod dopey doofus foobar prude punky racy
    steamy strip urinal vodka wang xx len asanchez arian gringo guido hebe kraut leper massa pinko prig
    mams menses pms rump sissy souse soused teste testes thug tush ugly unwed wedgie weirdo yury omg lmao
    wtf hiv herpes herp herpy inbred fat stupid dummy kill murder cow girl cowgirl cowgirls stroke
    heroin hitler nazi nazism reich ganja meth opiate opium peyote pcp valium viagra junkie junky
    fanny erect erection enlargement facial crotch spunk toots tosser wench lech lesbians bimbo bimbos
    ninny nad nads muff muther mutha seduce sleaze sleazy smut smutty stiffy toke trashy weenie weiner
    whitey puss pusse scum scrud tard hoar hoare hore hoer hoor fondle prostitute
    """.split()
)

#: Phrases that contain a screened word but are innocent; removed before screening.
HARMLESS_PHRASES: tuple[str, ...] = (
    "killer whale",
    "killer whales",
    "shooting star",
    "shooting stars",
    "blood orange",
    "blood oranges",
    "blood moon",
    "blood cell",
    "blood cells",
    "blood vessel",
    "blood vessels",
    "water gun",
    "water guns",
    "water pistol",
    "squirt gun",
    "glue gun",
    "bath bomb",
    "bath bombs",
    "blue tit",
    "great tit",
    "coal tit",
    "blue tits",
    "great tits",
    "sea cucumber",
    "hot dog",
    "high five",
    "photo shoot",
    "bamboo shoot",
    "bamboo shoots",
    "dead sea",
    "bomber jacket",
    "whipped cream",
    "bullet train",
    "bullet trains",
)

#: Words that make a request violent when aimed at a living being ("shooting people").
VIOLENT_VERBS: frozenset[str] = frozenset(
    "shoot shoots shooting shot stab stabs stabbing stabbed hurt hurts hurting hit hits hitting beat beats "
    "beating punch punches punching attack attacks attacking strangle strangling choke choking burn burning "
    "kick kicking".split()
)
VICTIMS: frozenset[str] = frozenset(
    "people person man men woman women child children kid kids boy boys girl girls baby babies him her them "
    "someone somebody everyone everybody teacher teachers student students classmate classmates friend friends "
    "dead police cop cops".split()
)


@lru_cache(maxsize=1)
def profanity_words() -> frozenset[str]:
    """The better-profanity word list, lower-cased, minus :data:`CLASSROOM_WORDS`.

    Returns an empty set (and logs a warning) when the package is missing, so the rest of the
    screen still works.
    """
    try:
        text = resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        log.warning("better-profanity is not installed: the swear-word list is off")
        return frozenset()
    words = {line.strip().lower() for line in text.splitlines() if line.strip()}
    # Entries with symbols ("f.u.c.k", "sh!t") are leetspeak spellings the screen undoes itself.
    words = {w for w in words if all(c.isalpha() or c in " -" for c in w)}
    return frozenset(w.replace("-", " ") for w in words) - CLASSROOM_WORDS
