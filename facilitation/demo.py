"""A realistic Swedish example process, as plain data: three village cafés and their notes.

The notes are drawn from hand-written sentences per theme and per question, so theme clustering
has real themes to find; each village leans on its own themes. Seeded, so every run is the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

ORGANISATION = "Storsjöns kommun"
PARTNER_MUNICIPALITY = "Fjällåsens kommun"

PROCESS_NAME = "Landsbygdsdialog Storsjöbygden 2026"
PLAN = "Fördjupad översiktsplan för landsbygden"
PROCESS_DESCRIPTION = (
    "Storsjöns och Fjällåsens kommuner tar tillsammans fram en fördjupad översiktsplan för "
    "landsbygden runt Storsjön. Våren 2026 bjuder vi in till bykaféer i tre byar för att höra "
    "vad som gör det bra att bo här och vad som behövs för framtiden. Det här är ett samråd: "
    "vi sammanfattar allt som sägs, och i samrådsredogörelsen berättar vi hur kommunerna har "
    "tagit hänsyn till det. Frågor som inte gäller planen skickar vi vidare till rätt förvaltning."
)

ROUND_MINUTES = 20
QUESTIONS = (
    "Vad gör det bra att bo i {by} i dag?",
    "Vad behöver {by} för att fler ska kunna bo och verka här om tio år?",
    "Vad kan vi själva göra, och vad behöver vi av kommunen?",
)

# What people write, per theme and per question (round 1, 2, 3). "{by}" is the village.
THEME_SENTENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "kollektivtrafik": (
        (
            "Skolbussen går i tid och chaufförerna känner barnen.",
            "Bra att det finns anropsstyrd trafik, även om få vet om den.",
            "Morgonbussen till stan funkar för oss som pendlar.",
            "Närheten till tåget i grannbyn gör att man kan pendla.",
            "Färdtjänsten fungerar bra för mamma.",
            "Bussen stannar mitt i byn",
        ),
        (
            "Fler bussturer till stan, särskilt på kvällar och helger.",
            "En sen buss hem så att ungdomarna kan vara med på aktiviteter i stan.",
            "Bussen måste passa skoltider och arbetstider, inte tvärtom.",
            "Pendlarparkering med laddstolpe vid hållplatsen.",
            "Anropsstyrd trafik som går att boka både i en app och per telefon.",
            "Fler bussar!",
        ),
        (
            "Vi kan starta en samåkningsgrupp i byns Facebookgrupp.",
            "Kommunen behöver driva frågan om fler turer hos regionen.",
            "Vi kan bygga en busskur vid affären om kommunen står för materialet.",
            "Informera om anropstrafiken, ingen vet hur den fungerar.",
            "En byabuss som föreningen kör, med stöd från kommunen.",
        ),
    ),
    "vägar": (
        (
            "Vägen till stan plogas tidigt på vintermorgnarna.",
            "Vägföreningen sköter de enskilda vägarna föredömligt.",
            "Lite trafik, barnen kan cykla själva till skolan.",
            "Cykelvägen längs sjön är fin.",
        ),
        (
            "Väg 321 behöver bredare vägren, det är livsfarligt att cykla där.",
            "Varje vår när tjälen går ur kommer timmerbilarna inte fram.",
            "Gång- och cykelväg mellan skolan och affären.",
            "Belysning vid busshållplatserna, det är becksvart på vintern.",
            "Sänkt hastighet genom byn, 40 räcker.",
            "Snöröjningen på de mindre vägarna måste bli bättre.",
        ),
        (
            "Vägföreningen kan röja sly längs vägarna om vi får bidrag.",
            "Kommunen behöver trycka på Trafikverket om väg 321.",
            "Vi kan samla dåliga vägavsnitt i en gemensam lista till kommunen.",
            "Högre bidrag till enskilda vägar, kostnaderna har ökat mycket.",
            "Farthinder vid skolan, det borde kommunen kunna ordna.",
        ),
    ),
    "skola och förskola": (
        (
            "Skolan i {by} är liten och trygg, lärarna känner alla barn.",
            "Förskolan har flexibla tider som passar oss som pendlar.",
            "Barnen kan gå eller cykla till skolan.",
            "Skolan är byns mötesplats, även för oss som inte har barn där.",
            "Fin skolgård med skogen precis bakom.",
        ),
        (
            "Skolan måste finnas kvar, annars flyttar barnfamiljerna.",
            "Förskola som öppnar tidigt och stänger sent för föräldrar som pendlar.",
            "Fritids även på loven.",
            "Skolan kan bli ett allaktivitetshus med bibliotek och gym på kvällarna.",
            "Fler elever behövs, så vi måste locka barnfamiljer.",
            "Förskola i byn",
        ),
        (
            "Kommunen måste lova att byskolan inte läggs ned under planperioden.",
            "Vi föräldrar kan hjälpa till med läxhjälp och utflykter.",
            "Låt föreningarna använda skolans lokaler på kvällar och helger.",
            "Ge byskolan samma resurser per elev som skolorna i stan.",
            "Vi kan visa upp skolan när nya familjer är på besök.",
        ),
    ),
    "bredband och mobiltäckning": (
        (
            "Fibern gör att jag kan jobba hemifrån tre dagar i veckan.",
            "Bra att byalaget drev igenom fiberutbyggnaden.",
            "Fiber i nästan alla hus.",
            "Med fiber kan man driva företag härifrån.",
        ),
        (
            "Mobiltäckningen är usel, man får gå upp på backen för att ringa.",
            "Fiber även till fritidshusen och gårdarna längst bort.",
            "En mobilmast vid sjön, det är en säkerhetsfråga när man är ute på isen.",
            "Täckning längs hela vägen, på vissa ställen går det inte att ringa 112.",
            "Reservkraft till masterna, vid strömavbrott dör mobilnätet direkt.",
            "Mobiltäckning!!",
        ),
        (
            "Kommunen behöver kräva bättre täckning av operatörerna.",
            "Byalaget kan kartlägga var täckningen saknas och skicka det till kommunen.",
            "Stöd till de sista hushållen som fortfarande saknar fiber.",
            "Ett kontorshotell i bygdegården med bra uppkoppling.",
            "Vi kan ordna så att alla kan pröva distansjobb hemifrån.",
        ),
    ),
    "boende": (
        (
            "Det är billigt att bo i {by} jämfört med stan.",
            "Stora tomter och nära till naturen.",
            "Man får mycket hus för pengarna.",
            "Grannarna hjälper varandra, det är tryggt att bo här.",
        ),
        (
            "Hyresrätter för unga som inte vill eller kan köpa hus.",
            "Trygghetsboende så att äldre kan bo kvar i byn.",
            "Många hus står tomma som fritidshus, de borde säljas till folk som vill bo här året runt.",
            "Fler byggbara tomter, det finns knappt någon att köpa i {by} i dag.",
            "Bankerna lånar inte ut till hus på landet, det stoppar inflyttningen.",
            "Små lägenheter för äldre så att barnfamiljer kan ta över villorna.",
            "Hyresrätter",
        ),
        (
            "Kommunen kan detaljplanera några tomter nära skolan.",
            "Vi kan starta ett kooperativ och bygga ett hyreshus själva.",
            "Byalaget kan hålla koll på hus som snart blir till salu.",
            "Det kommunala bostadsbolaget borde bygga några lägenheter här också.",
            "Enklare bygglov på landsbygden.",
        ),
    ),
    "service": (
        (
            "Affären i {by} är byns hjärta, där träffar man alla.",
            "Att macken finns kvar är guld värt.",
            "Hemtjänsten är fantastisk, personalen känner alla.",
            "Paketutlämning i affären, det är smidigt.",
            "Apoteksombudet i affären.",
        ),
        (
            "Vårdcentralen ligger för långt bort, vi behöver en mottagning här någon dag i veckan.",
            "Affären måste överleva, annars dör byn.",
            "Laddstolpar och drivmedel vid macken, annars blir det långt att tanka.",
            "Hemtjänsten behöver mer tid per besök, inte bara korta stressade besök.",
            "En uttagsautomat, det går inte att få kontanter någonstans.",
            "Distriktssköterska på plats en gång i veckan.",
        ),
        (
            "Handla i byns affär, det är det viktigaste vi själva kan göra.",
            "Kommunen kan ge affären servicestöd så att den klarar sig.",
            "Vi kan ordna ett servicekontor i bygdegården med hjälp av kommunen.",
            "En mobil vårdcentral som kommer till byn, det kan regionen ordna.",
            "Samla kommunens service i affären: bibliotek, paket och information.",
        ),
    ),
    "jobb och företag": (
        (
            "Många småföretag, folk driver eget inom bygg och skog.",
            "Turisterna på sommaren ger liv och jobb.",
            "Sågverket är en stor arbetsgivare.",
            "Lantbruken håller landskapet öppet.",
        ),
        (
            "Fler jobb för unga, annars flyttar de och kommer aldrig tillbaka.",
            "Turism året runt, inte bara under skoterveckorna.",
            "Lokaler för småföretag, det finns inga att hyra.",
            "Lokalproducerad mat, gårdsbutiker och ett mathantverkshus.",
            "Boende för säsongsarbetare så att företagen kan växa.",
        ),
        (
            "Kommunen kan köpa mat från lokala bönder till skolan och äldreboendet.",
            "Vi kan marknadsföra {by} tillsammans på en gemensam hemsida.",
            "Snabbare bygglov och tillstånd för företag som vill växa.",
            "Företagarna i byn kan gå ihop och ordna en företagarfrukost.",
            "En kontaktperson på kommunen för landsbygdsföretag.",
        ),
    ),
    "natur och friluftsliv": (
        (
            "Naturen! Skogen och fjällen precis utanför dörren.",
            "Fisket i sjön är fantastiskt, både sommar och vinter.",
            "Skoterlederna är välskötta.",
            "Lugnet och tystnaden, man hör bara fåglarna.",
            "Badplatsen vid sjön där alla barn lär sig simma.",
            "Bär och svamp i mängder på hösten.",
        ),
        (
            "Behåll tystnaden, ingen mer exploatering av orörda skogar.",
            "Skidspår med belysning.",
            "Tillgängliga leder för äldre och för den som har rullstol.",
            "Skoterlederna behöver dras om så att de inte går genom byn.",
            "Fler vindskydd och eldstäder vid sjön.",
        ),
        (
            "Vi kan ta hand om stigarna om kommunen står för skyltarna.",
            "Fiskevårdsföreningen kan göra mer med lite stöd.",
            "Kommunen bör säkra allmänhetens tillgång till stränderna i planen.",
            "Vi kan ordna en städdag vid badplatsen varje vår.",
            "Skoterklubben och kommunen behöver prata ihop sig om lederna.",
        ),
    ),
    "föreningsliv och bygdegård": (
        (
            "Föreningslivet är starkt, det finns något för alla åldrar.",
            "Bygdegården är navet för fester, möten och kurser.",
            "Alla ställer upp när det behövs, som vid midsommarfesten.",
            "Idrottsföreningen har skidskola för barnen varje vinter.",
            "Vi har en fantastisk hembygdsförening.",
        ),
        (
            "Bygdegården i {by} behöver renoveras, taket läcker och värmen är dyr.",
            "Fler unga måste engagera sig, det är samma eldsjälar som gör allt.",
            "En mötesplats för ungdomarna på kvällarna.",
            "Nyinflyttade behöver komma in i föreningarna snabbare.",
        ),
        (
            "Vi kan ha en välkomstträff för nyinflyttade varje höst.",
            "Kommunen behöver ge föreningsbidrag som är enkla att söka.",
            "Vi kan dela på de ideella uppgifterna så att inte allt hamnar på samma personer.",
            "Investeringsstöd till bygdegården, energin kostar för mycket.",
            "Kommunen kan hålla sina möten i bygdegården i stället för att vi åker till stan.",
        ),
    ),
    "vatten och avlopp": (
        (
            "Rent och gott vatten från egen brunn.",
            "Det kommunala vattnet fungerar bra.",
        ),
        (
            "Kommunalt vatten och avlopp behövs om det ska byggas fler hus vid sjön.",
            "Många enskilda avlopp är gamla och läcker ut i sjön.",
            "Brunnarna sinar på sommaren när det är torrt.",
            "Reningsverket klarar inte fler hus.",
        ),
        (
            "Flera hus kan gå ihop och bygga ett gemensamt avlopp.",
            "Kommunen behöver en plan för VA på landsbygden, inte bara i tätorterna.",
            "Rimliga anslutningsavgifter för VA, annars har ingen råd att flytta hit.",
            "Tydligare råd från kommunen om vad som gäller för enskilda avlopp.",
        ),
    ),
    "vindkraft och energi": (
        (
            "Vattenkraften i ån har gett bygden el i hundra år.",
            "Solcellerna på ladugården fungerar bra.",
            "Vindkraftsparken ger några arbetstillfällen i byn.",
        ),
        (
            "Inga vindkraftverk på fjället, det förstör utsikten och turismen.",
            "Blir det vindkraft ska en del av pengarna stanna i bygden.",
            "Vindkraft är bra om den placeras långt från byarna.",
            "Lokal energi så att vi klarar oss vid strömavbrott.",
            "Vi behöver veta hur mycket vindkraft som planeras innan vi kan tycka något.",
        ),
        (
            "Kommunen måste lyssna på byn innan den säger ja till vindkraft.",
            "Vi kan starta en energiförening med solceller på bygdegårdens tak.",
            "Bygdepengen från vindkraften ska gå till en fond som byn själv styr över.",
            "Kommunen bör peka ut var vindkraft inte får byggas i översiktsplanen.",
        ),
    ),
    "strandnära byggande": (
        (
            "Närheten till sjön är det bästa med att bo här.",
            "Man kan ha båten nedanför huset.",
        ),
        (
            "LIS-områden så att det går att bygga hus nära sjön.",
            "Strandskyddet gör det omöjligt att bygga där folk faktiskt vill bo.",
            "Sjönära tomter lockar inflyttare, det borde kommunen se som en chans.",
            "Stränderna måste vara öppna för alla, inte bara för dem som har råd med sjötomt.",
            "Bryggor och båtplatser för dem som inte bor vid sjön.",
        ),
        (
            "Kommunen behöver peka ut fler LIS-områden i planen.",
            "Markägarna vid sjön kan gå ihop och föreslå lämpliga platser.",
            "Gör det enklare att få dispens från strandskyddet på landsbygden.",
            "Vi kan visa kommunen var det går att bygga utan att stänga ute allmänheten.",
        ),
    ),
}

# Small changes people make to the same thought; they keep notes within a café distinct.
AGREEMENT_TAILS = (" (hela bordet håller med)", " – flera sa samma sak", ", tycker vi vid bordet")


@dataclass(frozen=True)
class _Village:
    village: str
    municipality: str
    venue: str
    date: date
    table_count: int
    host_share: float  # share of notes typed by the table host: more where fewer use phones
    theme_weights: dict[str, int]  # themes this village talks more (or less) about; others weigh 2
    # Notes only this village writes: (table, round, text, source), placed as given.
    own_notes: tuple[tuple[int, int, str, str], ...] = ()
    # Where it lies (WGS 84) and how many live there: inland Västerbotten and Norrbotten.
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None


VILLAGES = (
    _Village(
        village="Hallviken",
        municipality=ORGANISATION,
        venue="Bygdegården Hallviken",
        date=date(2026, 3, 10),
        latitude=65.108,
        longitude=17.562,
        population=410,
        table_count=6,
        host_share=0.12,
        theme_weights={"natur och friluftsliv": 5, "strandnära byggande": 5, "jobb och företag": 4, "vägar": 3},
        own_notes=(
            (2, 1, "Bästa fiskevattnet i hela länet 🎣", "phone"),
            (4, 1, "Skoterleden upp till Hallfjället är guld för turismen", "phone"),
            (1, 2, "Campingen vid Hallviken behöver fler platser för husbilar, de står överallt på sommaren.", "phone"),
            (5, 2, "strandskyddet vid norra viken borde kunna lättas för några hus", "phone"),
            (3, 3, "Jag äger marken vid badplatsen och kan tänka mig några LIS-tomter. Gunnar 19650412-1234", "host"),
        ),
    ),
    _Village(
        village="Åsbacka",
        municipality=ORGANISATION,
        venue="Folkets hus Åsbacka",
        date=date(2026, 3, 18),
        latitude=64.934,
        longitude=19.047,
        population=780,
        table_count=8,
        host_share=0.10,
        theme_weights={
            "skola och förskola": 5,
            "kollektivtrafik": 5,
            "boende": 4,
            "bredband och mobiltäckning": 4,
            "föreningsliv och bygdegård": 3,
            "vindkraft och energi": 1,
        },
        own_notes=(
            (6, 1, "We moved here from Leeds last year. The kids love the school and the forest.", "phone"),
            (2, 2, "Behåll skolan!", "phone"),
            (5, 2, "Behåll skolan!", "phone"),  # two tables wrote the same words: deliberate
            (7, 2, "The bus to town is too rare, we need two cars just to get to work.", "phone"),
            (3, 2, "Åsbacka skola har plats för fler elever, det är en tillgång när fler flyttar hit", "phone"),
            (1, 3, "Vill gärna vara med och starta en föräldragrupp för skolan, mejla anna.svensson@example.se", "phone"),
            (8, 3, "Happy to help with an English conversation club in Folkets hus!", "phone"),
        ),
    ),
    _Village(
        village="Mörtsjön",
        municipality=PARTNER_MUNICIPALITY,
        venue="Mörtsjö skola, skolans matsal",
        date=date(2026, 3, 24),
        latitude=66.052,
        longitude=21.246,
        population=230,
        table_count=5,
        host_share=0.25,
        theme_weights={
            "service": 5,
            "vindkraft och energi": 5,
            "boende": 3,
            "vägar": 3,
            "vatten och avlopp": 3,
            "strandnära byggande": 1,
        },
        own_notes=(
            (1, 1, "Täällä on hyvä asua, luonto on lähellä ja naapurit auttavat.", "phone"),
            (3, 2, "Kauppa ja bussi pitää säilyttää, muuten vanhukset eivät pärjää kylässä.", "host"),
            (4, 2, "ring mig om vägen till fäbodarna, den är i uselt skick. Lars 070-123 45 67", "phone"),
            (2, 2, "Vindkraften på Råberget syns från hela byn, inga fler verk där", "phone"),
            (5, 3, "Hemtjänsten i Mörtsjön ska inte skötas från stan, de måste ha en bas här", "host"),
        ),
    ),
)

# Where the trial café's village (Storsjöstrand, by the lake near Hallviken) lies, and its people.
TRIAL_PLACE = (65.021, 17.803, 160)  # latitude, longitude, inhabitants

PHONES_PER_TABLE = 4  # of about six people at a table, some share a phone and some have none


@dataclass(frozen=True)
class DemoNote:
    table: int
    round: int
    text: str
    source: str  # "phone" or "host"
    device: int | None  # the phone's number within its café; None when the host typed it
    minutes_into_round: int


@dataclass(frozen=True)
class DemoRound:
    number: int
    question: str
    minutes: int


@dataclass(frozen=True)
class DemoCafe:
    village: str
    venue: str
    date: date
    table_count: int
    rounds: list[DemoRound]
    notes: list[DemoNote]
    municipality: str = ORGANISATION
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None


@dataclass(frozen=True)
class DemoProcess:
    name: str
    plan: str
    participation_level: str  # one of facilitation.process.ParticipationLevel
    description: str
    cafes: list[DemoCafe]
    municipalities: list[str] = field(default_factory=lambda: [ORGANISATION])


@dataclass(frozen=True)
class DemoExample:
    organisation: str
    processes: list[DemoProcess]


def demo_example(seed: int = 7) -> DemoExample:
    """The example process: the same for the same seed."""
    rng = random.Random(seed)
    cafes = [
        DemoCafe(
            village=v.village,
            venue=v.venue,
            date=v.date,
            table_count=v.table_count,
            rounds=[
                DemoRound(number, question.format(by=v.village), ROUND_MINUTES)
                for number, question in enumerate(QUESTIONS, start=1)
            ],
            notes=_cafe_notes(v, rng),
            municipality=v.municipality,
            latitude=v.latitude,
            longitude=v.longitude,
            population=v.population,
        )
        for v in VILLAGES
    ]
    process = DemoProcess(
        name=PROCESS_NAME,
        plan=PLAN,
        participation_level="consultation",
        description=PROCESS_DESCRIPTION,
        cafes=cafes,
        municipalities=[ORGANISATION, PARTNER_MUNICIPALITY],
    )
    return DemoExample(organisation=ORGANISATION, processes=[process])


def _cafe_notes(village: _Village, rng: random.Random) -> list[DemoNote]:
    themes = list(THEME_SENTENCES)
    weights = [village.theme_weights.get(theme, 2) for theme in themes]
    tables = range(1, village.table_count + 1)
    rounds = range(1, len(QUESTIONS) + 1)
    # People change tables between rounds, so a phone writes at a new table each round.
    phones = list(range(1, village.table_count * PHONES_PER_TABLE + 1))
    seating = {}
    for round_number in rounds:
        rng.shuffle(phones)
        seating[round_number] = {table: phones[table - 1 :: village.table_count] for table in tables}

    def note(table: int, round_number: int, text: str, source: str | None = None) -> DemoNote:
        source = source or ("host" if rng.random() < village.host_share else "phone")
        device = rng.choice(seating[round_number][table]) if source == "phone" else None
        return DemoNote(table, round_number, text, source, device, rng.randint(2, ROUND_MINUTES - 1))

    written = {text for _, _, text, _ in village.own_notes}
    notes = [note(table, round_number, text, source) for table, round_number, text, source in village.own_notes]
    for round_number in rounds:
        for table in tables:
            for _ in range(rng.randint(4, 8)):
                theme = rng.choices(themes, weights)[0]
                sentence = rng.choice(THEME_SENTENCES[theme][round_number - 1]).format(by=village.village)
                text = _new_wording(sentence, written, rng)
                if text:
                    written.add(text)
                    notes.append(note(table, round_number, text))
    return sorted(notes, key=lambda n: (n.round, n.minutes_into_round, n.table))


def _new_wording(sentence: str, written: set[str], rng: random.Random) -> str | None:
    """The sentence as someone at this café might write it, unlike every note already written."""
    bare = sentence.rstrip(".!")
    casual = bare[0].lower() + bare[1:] if bare[1:2].islower() else bare
    wordings = [
        sentence,
        casual,
        bare + "!",
        bare + rng.choice(AGREEMENT_TAILS),
        "Viktigt: " + casual,
        _with_typo(casual, rng),
    ]
    fresh = [wording for wording in wordings if wording not in written]
    # Most notes are written the way the thought first came; the rest in other words.
    if sentence in fresh and rng.random() < 0.8:
        return sentence
    return rng.choice(fresh) if fresh else None


def _with_typo(text: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped in one longer word, as thumbs on a cold phone do."""
    words = text.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) >= 6 and word.isalpha() and word.islower()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    j = rng.randrange(1, len(words[i]) - 2)
    word = words[i]
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)
