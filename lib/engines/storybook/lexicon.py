"""Words the storybook engine can draw: a curated table first, the ``emoji`` package's names second.

Every drawable word maps to a :class:`Thing`: a glyph (one emoji) or a drawn silhouette, plus how
big it is next to a child-sized dog and where it lives (on the ground, in the sky, scattered
around). Scene words (settings, times of day, weather, colours, numbers) have their own tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from lib.engines.storybook.styles import STYLE_WORDS

Place = Literal["ground", "sky", "scatter", "water"]


@dataclass(frozen=True)
class Thing:
    """Something that can be drawn: by ``glyph`` (an emoji) or by ``silhouette`` (a drawing name)."""

    name: str
    glyph: str | None = None
    silhouette: str | None = None
    #: Height relative to a dog (1.0).
    scale: float = 1.0
    place: Place = "ground"
    landmark: bool = False


def _things(place: Place, scale: float, table: str) -> dict[str, Thing]:
    """Parse ``"word|synonym=glyph; ..."`` into Things (the first word is the canonical name)."""
    out: dict[str, Thing] = {}
    for item in table.split(";"):
        item = item.strip()
        if not item:
            continue
        words, glyph = item.rsplit("=", 1)
        names = [w.strip() for w in words.split("|")]
        local_scale = scale
        if "@" in glyph:
            glyph, factor = glyph.split("@")
            local_scale = float(factor)
        thing = Thing(name=names[0], glyph=glyph.strip(), scale=local_scale, place=place)
        for name in names:
            out[name] = thing
    return out


SUBJECTS: dict[str, Thing] = {
    **_things(
        "ground",
        1.0,
        """dog|puppy|doggy|pup|hound=🐕; cat|kitten|kitty|kitty cat=🐈; rabbit|bunny|hare=🐇@0.75;
        horse|pony|stallion|mare=🐎@1.6; cow|cattle=🐄@1.5; pig|piglet=🐖; sheep|lamb=🐑; goat=🐐;
        chicken|hen=🐔@0.7; rooster=🐓@0.8; duck|duckling=🦆@0.6; mouse|mice=🐁@0.4; rat=🐀@0.45;
        elephant=🐘@2.2; lion=🦁@1.3; tiger=🐅@1.4; bear=🐻@1.4; polar bear=🐻‍❄️@1.4; panda=🐼@1.2;
        koala=🐨@0.8; monkey=🐒; gorilla=🦍@1.4; giraffe=🦒@2.4; zebra=🦓@1.5; camel=🐫@1.9;
        llama|alpaca=🦙@1.5; kangaroo=🦘@1.4; fox=🦊@0.9; wolf=🐺@1.1; deer|reindeer=🦌@1.5;
        squirrel=🐿️@0.5; hedgehog=🦔@0.45; frog|toad=🐸@0.5; turtle|tortoise=🐢@0.6; snake=🐍@0.8;
        lizard=🦎@0.5; crocodile|alligator=🐊@1.2; penguin=🐧@0.8; owl=🦉@0.7; snail=🐌@0.35;
        dinosaur|t-rex|trex|tyrannosaurus=🦖@2.4; sauropod|brontosaurus=🦕@2.4; dragon=🐉@2.0;
        unicorn=🦄@1.5; hippo|hippopotamus=🦛@1.6; rhino|rhinoceros=🦏@1.6; raccoon=🦝@0.7;
        beaver=🦫@0.7; otter=🦦@0.7; sloth=🦥@0.8; skunk=🦨@0.6; badger=🦡@0.7; bison|buffalo=🦬@1.6;
        mammoth=🦣@2.3; flamingo=🦩@1.2; peacock=🦚@1.1; turkey=🦃@0.9; dodo=🦤@0.8; moose=🫎@1.8;
        boy=👦; girl=👧; child|kid|student=🧒; baby=👶@0.6; man|father|dad=👨@1.7; woman|mother|mom|mum=👩@1.7;
        person|people=🧑@1.7; grandma|grandmother=👵@1.6; grandpa|grandfather=👴@1.6; teacher=🧑‍🏫@1.7;
        astronaut=🧑‍🚀@1.7; scientist=🧑‍🔬@1.7; doctor=🧑‍⚕️@1.7; chef|cook=🧑‍🍳@1.7; farmer=🧑‍🌾@1.7;
        firefighter=🧑‍🚒@1.7; police officer|policeman|police|policewoman=👮@1.7;
        pirate=🏴‍☠️@0.8; skeleton|skull=💀@0.9; artist|painter=🧑‍🎨@1.7; king=🤴@1.7;
        princess=👸@1.7; prince=🤴@1.7; queen=👸@1.7; knight=🤺@1.7; wizard|witch|mage=🧙@1.7; fairy=🧚@0.9;
        mermaid=🧜‍♀️@1.6; genie=🧞@1.7; vampire=🧛@1.7; zombie=🧟@1.7; superhero=🦸@1.7; ninja=🥷@1.7;
        elf=🧝@1.6; ghost=👻@1.2; alien=👽@1.1; robot=🤖@1.1; monster=👾@1.0; clown=🤡@1.2; snowman=⛄@1.4;
        troll=🧌@1.6; santa|santa claus=🎅@1.7;
        car=🚗@1.3; taxi=🚕@1.3; bus=🚌@1.8; truck|lorry=🚚@1.8; tractor=🚜@1.6; fire engine|fire truck=🚒@1.8;
        police car=🚓@1.3; ambulance=🚑@1.6; bicycle|bike=🚲@1.0; motorcycle|motorbike=🏍️@1.1;
        scooter=🛴@0.9; train|locomotive=🚂@1.8; race car|racing car=🏎️@1.3; tent=⛺@1.8; house|home=🏠@2.2;
        skateboard=🛹@0.5; wagon|cart=🛒@0.9; tree=🌳@2.6; palm tree|palm=🌴@2.6; pine|pine tree|fir=🌲@2.6;
        cactus=🌵@1.6; mushroom|toadstool=🍄@0.5; rock|stone|boulder=🪨@0.6; chair=🪑@0.9;
        bed=🛏️@1.1; sofa|couch=🛋️@1.2; door=🚪@1.8; box|present|gift=🎁@0.6; treasure|chest=🧰@0.6;
        basket=🧺@0.5; bucket|pail=🪣@0.5; fountain=⛲@1.8; bench=🪑@0.9;
        piano=🎹@0.9; drum=🥁@0.6; guitar=🎸@0.8; violin=🎻@0.8; trumpet=🎺@0.5; computer|laptop=💻@0.6;
        telescope=🔭@0.9; microscope=🔬@0.6; globe=🌍@0.7; lamp=🪔@0.5; candle=🕯️@0.5; teddy bear|teddy=🧸@0.6;
        pumpkin=🎃@0.6; christmas tree=🎄@2.2; snowball=⚪@0.3; football|soccer ball|ball=⚽@0.35;
        basketball=🏀@0.35; tennis ball=🎾@0.25; trophy|cup=🏆@0.5; crown=👑@0.4; book|books=📕@0.4;
        boat|ship|sailboat=⛵@1.3; canoe|kayak=🛶@1.3; submarine=🤿@0.8; whale=🐋@2.2; dolphin=🐬@1.3;
        shark=🦈@1.5; fish=🐟@0.5; tropical fish|goldfish=🐠@0.5; octopus=🐙@0.9; crab=🦀@0.45;
        jellyfish=🪼@0.6; lobster=🦞@0.5; shrimp=🦐@0.35; seal=🦭@1.1; squid=🦑@0.8""",
    ),
    **_things(
        "ground",
        0.4,
        """apple=🍎; banana=🍌; orange|tangerine=🍊; lemon=🍋; pear=🍐; cherry|cherries=🍒;
        strawberry=🍓; grapes|grape=🍇; watermelon=🍉@0.6; pineapple=🍍@0.6; peach=🍑; carrot=🥕;
        broccoli=🥦; corn=🌽; potato=🥔; tomato=🍅; avocado=🥑; bread|loaf=🍞; cheese=🧀; egg=🥚@0.3;
        pizza=🍕; burger|hamburger=🍔; hot dog|hotdog=🌭; sandwich=🥪; taco=🌮; fries|chips=🍟;
        popcorn=🍿; cake|birthday cake=🎂@0.6; cupcake|muffin=🧁; cookie|biscuit=🍪@0.3; donut|doughnut=🍩;
        ice cream|icecream=🍦; lollipop|lolly=🍭; candy|sweet|sweets=🍬@0.3; chocolate=🍫; honey=🍯;
        milk=🥛; tea|coffee=☕; juice=🧃; pie=🥧; pancakes|pancake=🥞; noodles=🍜; sushi=🍣; rice=🍚;
        spaghetti|pasta=🍝; soup=🍲; croissant=🥐; pretzel=🥨; bone=🦴; carrot cake=🍰;
        umbrella=☂️@0.8; balloon|balloons=🎈@0.6; flag=🚩@0.5; sword=🗡️@0.6; shield=🛡️@0.5; wand=🪄@0.5;
        key=🔑@0.3; magnifying glass=🔍@0.4; pencil=✏️@0.4; crayon=🖍️@0.4; paintbrush|brush=🖌️@0.4;
        flashlight|torch=🔦@0.4; lantern=🏮@0.5; bell=🔔@0.4; hat=🎩@0.4; cap=🧢@0.3; backpack|bag=🎒@0.5;
        glasses=👓@0.25; scarf=🧣@0.4; phone=📱@0.3; camera=📷@0.35; map=🗺️@0.4; compass=🧭@0.35;
        kite=🪁@0.7; yo-yo|yoyo=🪀@0.3; net=🥅@0.8; fishing rod=🎣@0.7; bow=🏹@0.6; magnet=🧲@0.35;
        heart=❤️@0.4; diamond|gem|jewel=💎@0.35; coin|money=🪙@0.25; letter|envelope=✉️@0.3;
        bubble=🫧@0.4;
        clock=🕰️@0.5; slide|playground=🛝@1.2; hut|igloo=🛖@1.8; waterfall=🌊@1.6;
        iceberg|ice cube=🧊@0.9; ring=💍@0.25; bone toy=🦴@0.3""",
    ),
    **_things(
        "scatter",
        0.3,
        """flower|flowers=🌼; daffodil|daffodils=🌼; daisy=🌼; sunflower=🌻@0.5; tulip=🌷; rose=🌹;
        blossom|cherry blossom=🌸; hibiscus=🌺; clover|shamrock=☘️@0.2; leaf|leaves=🍃@0.2;
        maple leaf|autumn leaves=🍁@0.2; herb|grass=🌿@0.3; seedling|sprout=🌱@0.2; lily=🪷@0.3;
        acorn|nut=🌰@0.15; pebble=🪨@0.15; ladybug|ladybird=🐞@0.15; ant=🐜@0.12; spider=🕷️@0.2;
        cricket|grasshopper=🦗@0.2; worm=🪱@0.2; beetle=🪲@0.2; shell|seashell=🐚@0.25""",
    ),
    **_things(
        "sky",
        0.5,
        """bird|birdie|seagull|gull|sparrow|robin=🐦; star=⭐@0.3;
        eagle|falcon|hawk=🦅@0.8; parrot=🦜@0.6; dove|pigeon=🕊️; swan=🦢@0.8; bat=🦇@0.5;
        butterfly=🦋@0.35; bee|bumblebee=🐝@0.25; fly=🪰@0.2; mosquito=🦟@0.2; airplane|aeroplane|plane|jet=✈️@0.9;
        helicopter=🚁@0.9; rocket|spaceship|rocket ship=🚀@1.2; ufo|flying saucer=🛸@1.0; hot air balloon=🎈@1.0;
        cloud|clouds=☁️@0.9; comet|shooting star=☄️@0.6; planet|saturn=🪐@0.9; earth=🌍@0.9;
        satellite=🛰️@0.6; phoenix=🐦‍🔥@0.9; parachute=🪂@0.9""",
    ),
}

# Landmarks draw on the horizon. Those with a good emoji use it; the others are drawn silhouettes.
LANDMARKS: dict[str, Thing] = {}


def _landmark(names: str, *, glyph: str | None = None, silhouette: str | None = None, scale: float = 3.0) -> None:
    parts = [n.strip() for n in names.split("|")]
    thing = Thing(name=parts[0], glyph=glyph, silhouette=silhouette, scale=scale, landmark=True)
    for part in parts:
        LANDMARKS[part] = thing


_landmark("eiffel tower|eiffel|tour eiffel", silhouette="eiffel", scale=3.4)
_landmark("colosseum|coliseum|roman colosseum", silhouette="colosseum", scale=2.0)
_landmark("statue of liberty|lady liberty", glyph="🗽", scale=3.0)
_landmark("taj mahal", silhouette="taj_mahal", scale=3.0)
_landmark("pyramids|pyramid|great pyramid|pyramids of giza|giza", silhouette="pyramids", scale=2.2)
_landmark("big ben|elizabeth tower", silhouette="big_ben", scale=3.4)
_landmark("great wall|great wall of china|wall of china", silhouette="great_wall", scale=2.2)
_landmark("sydney opera house|opera house", silhouette="opera_house", scale=1.7)
_landmark("stonehenge", silhouette="stonehenge", scale=1.3)
_landmark("leaning tower of pisa|leaning tower|tower of pisa|pisa", silhouette="pisa", scale=3.0)
_landmark("golden gate bridge|golden gate", silhouette="golden_gate", scale=2.0)
_landmark("mount fuji|fuji|mt fuji", glyph="🗻", scale=3.0)
_landmark("parthenon|acropolis|greek temple", silhouette="parthenon", scale=1.7)
_landmark("arc de triomphe|arch of triumph|triumphal arch", silhouette="arc", scale=2.4)
_landmark("christ the redeemer|cristo redentor", silhouette="redeemer", scale=3.0)
_landmark("tower bridge", silhouette="tower_bridge", scale=2.2)
_landmark("empire state building|empire state", silhouette="empire_state", scale=3.6)
_landmark("sphinx|great sphinx", silhouette="sphinx", scale=2.6)
_landmark("burj khalifa", silhouette="burj", scale=3.8)
_landmark("windmill", silhouette="windmill", scale=2.2)
_landmark("lighthouse", silhouette="lighthouse", scale=2.6)
_landmark("tokyo tower", glyph="🗼", scale=3.2)
_landmark("moai|easter island|easter island heads", glyph="🗿", scale=1.6)
_landmark("castle|palace", glyph="🏰", scale=2.4)
_landmark("japanese castle|himeji castle", glyph="🏯", scale=2.4)
_landmark("volcano", glyph="🌋", scale=2.4)
_landmark("mountain|hill", glyph="⛰️", scale=2.4)
_landmark("ferris wheel|london eye", glyph="🎡", scale=2.6)
_landmark("mosque", glyph="🕌", scale=2.4)
_landmark("temple|shrine|torii", glyph="⛩️", scale=2.0)
_landmark("church|chapel", glyph="⛪", scale=2.4)
_landmark("school", glyph="🏫", scale=2.0)
_landmark("stadium", glyph="🏟️", scale=1.8)
_landmark("bridge", silhouette="golden_gate", scale=1.8)
_landmark("skyscraper|tower", silhouette="empire_state", scale=3.2)
_landmark("space needle", silhouette="space_needle", scale=3.4)
_landmark("st basil cathedral|saint basil cathedral|kremlin", silhouette="st_basil", scale=2.6)


#: Settings: the ground and far scenery. Keys are the words that choose them.
SETTINGS: dict[str, str] = {}
for _setting, _words in {
    "meadow": "meadow|field|fields|grass|grassland|countryside|garden|park|lawn|farm|prairie|hill|hills",
    "beach": "beach|beaches|seaside|coast|shore|sand|sandy|island|sandy beach",
    "desert": "desert|sahara|dunes|dune|egypt",
    "forest": "forest|woods|wood|jungle|rainforest|woodland",
    "city": "city|town|street|downtown|village|new york|london|paris|tokyo",
    "snow": "snow field|arctic|antarctica|north pole|winter|tundra|ice|glacier|snowy field",
    "underwater": "underwater|under the sea|ocean floor|seabed|reef|coral reef|aquarium",
    "sea": "sea|ocean|lake|river|pond|water|harbour|harbor|bay",
    "space": "space|outer space|galaxy|universe|stars sky",
    "moon": "moon surface|lunar|on the moon|lunar surface",
    "mountains": "mountains|alps|himalayas|valley|canyon",
    "library": "library|bookshop|bookstore|bookshelf|bookcase",
    "kitchen": "kitchen|kitchens",
    "classroom": "classroom|classrooms|class room|school room|schoolroom",
    "bedroom": "bedroom|bedrooms|bed room|room|living room|house inside|nursery|playroom",
    "bathroom": "bathroom|bathrooms|bath room|toilet|restroom|washroom",
    "museum": "museum|museums|art gallery|gallery",
    "shop": "shop|shops|store|supermarket|market|grocery|grocery store|toy shop|toyshop|bakery|mall|shopping mall",
    "restaurant": "restaurant|restaurants|cafe|café|diner|canteen|cafeteria|pizzeria",
    "hospital": "hospital|hospitals|clinic|doctor office|doctors office",
    "station": "station|train station|railway station|subway|metro|subway station|underground station",
}.items():
    for _word in _words.split("|"):
        SETTINGS[_word] = _setting

#: Picture styles ("as a pencil sketch"): a filter over the finished picture (:mod:`.styles`).
STYLES: dict[str, str] = {}
for _style, _words in STYLE_WORDS.items():
    for _word in _words.split("|"):
        STYLES[_word.replace("'s", "")] = _style

#: Times of day (what the sky looks like).
TIMES: dict[str, str] = {}
for _time, _words in {
    "dawn": "dawn|sunrise|daybreak|early morning|first light|morning sunlight|early morning sunlight",
    "morning": "morning|morning light",
    "noon": "noon|midday|day|daytime|afternoon|sunny|sunshine|sunlight|sun|summer|bright|blue sky|clear sky|"
    "sunny day|bright day|daylight",
    "sunset": "sunset|dusk|evening|twilight|golden hour|sundown",
    "night": "night|midnight|nighttime|night time|starry|starry night|moonlight|moonlit|moon|the moon|moon at night|"
    "under the stars|under the moon|night sky|starry sky|full moon",
}.items():
    for _word in _words.split("|"):
        TIMES[_word] = _time

#: Weather on top of the scene.
WEATHER: dict[str, str] = {}
for _weather, _words in {
    "fog": "fog|foggy|mist|misty|haze|hazy",
    "rain": "rain|rainy|raining|drizzle|shower|showers|wet",
    "snow": "snow|snowy|snowing|snowfall|snowflakes|blizzard",
    "storm": "storm|stormy|thunder|thunderstorm|lightning",
    "rainbow": "rainbow|rainbows",
    "cloudy": "cloudy|overcast|grey sky|gray sky",
    "windy": "windy|wind|breezy",
}.items():
    for _word in _words.split("|"):
        WEATHER[_word] = _weather

COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 40, 40),
    "orange": (245, 140, 30),
    "yellow": (250, 215, 40),
    "green": (60, 170, 70),
    "blue": (50, 100, 220),
    "purple": (140, 70, 200),
    "violet": (140, 70, 200),
    "pink": (245, 120, 180),
    "brown": (130, 80, 40),
    "black": (40, 40, 45),
    "white": (245, 245, 245),
    "grey": (140, 140, 145),
    "gray": (140, 140, 145),
    "gold": (230, 180, 40),
    "golden": (230, 180, 40),
    "silver": (190, 195, 205),
    "turquoise": (40, 200, 200),
}

NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2, "pair of": 2, "a pair of": 2,
    "a few": 3, "few": 3, "several": 4, "some": 3, "many": 7, "lots of": 8, "a lot of": 8, "dozens of": 12,
    "a dozen": 12, "dozen": 12,
}  # fmt: skip

SIZES: dict[str, float] = {"big": 1.35, "large": 1.35, "huge": 1.6, "giant": 1.7, "enormous": 1.7,
                           "small": 0.7, "little": 0.75, "tiny": 0.5}  # fmt: skip

RELATIONS: dict[str, str] = {
    "on": "on", "on top of": "on", "riding": "on", "rides": "on", "atop": "on", "upon": "on", "sitting on": "on",
    "standing on": "on", "next to": "next to", "beside": "next to", "near": "next to", "by": "next to",
    "with": "next to", "and": "next to", "in front of": "next to", "behind": "next to", "close to": "next to",
    "holding": "holding", "holds": "holding", "carrying": "holding", "carries": "holding", "eating": "holding",
    "with a": "holding", "under": "under", "underneath": "under", "beneath": "under", "below": "under",
    "in": "in", "inside": "in", "into": "in", "within": "in", "above": "above", "over": "above",
    "flying over": "above",
}  # fmt: skip

#: Words that carry grammar, not pictures: never reported as "not drawn".
FILLER = set(
    """a an the of at to from for is are was were be been being it its it's this that these those there
    their his her my your our where which who whom whose while when as so very really just also then than
    has have had having do does did can could will would should shall may might must let lets some any
    each every all both other another such only own same too not no nor or but if because about into onto
    out up down off again further once here how why what grows grow growing grown stands standing stand
    sits sitting sit lives living live looks looking look is being making make made picture image photo
    drawing painting illustration scene style cute nice beautiful lovely pretty happy friendly full please
    show draw create paint together after before until busy surrounded kind tall short old young
    around across through along toward towards against during among them
    they he she him we us you i me""".split()
)


#: Words for the parts of every picture (the sky, the ground): always drawn.
SCENE_WORDS = frozenset("sky skies ground air background landscape outside outdoors view scenery horizon".split())

#: "on top of a mountain": these landmarks, after "on" or "in", are where the scene takes place.
SETTING_LANDMARKS = {"mountain": "mountains", "hill": "meadow"}

#: Doing words: the storybook cannot show an action, so they are reported, never matched to an emoji.
VERBS = set(
    """walking walks walk running runs run swimming swims swim flying flies fly jumping jumps jump dancing
    dances dance sleeping sleeps sleep reading reads read playing plays play singing sings sing eating eats
    drinking drinks climbing climbs climb skating skiing surfing surf fishing cooking painting writing
    laughing smiling crying waving chasing hiding racing driving drives riding""".split()
)


def singular(word: str) -> list[str]:
    """Candidate singular forms of ``word`` (itself first), for looking plurals up."""
    irregular = {"mice": "mouse", "geese": "goose", "children": "child", "people": "person", "men": "man",
                 "women": "woman", "teeth": "tooth", "feet": "foot", "wolves": "wolf", "leaves": "leaf",
                 "knives": "knife", "elves": "elf", "dwarves": "dwarf", "calves": "calf", "cacti": "cactus",
                 "ponies": "pony", "puppies": "puppy", "bunnies": "bunny", "fungi": "mushroom",
                 "octopi": "octopus", "loaves": "loaf", "halves": "half", "shelves": "shelf"}  # fmt: skip
    out = [word]
    if word in irregular:
        out.append(irregular[word])
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.append(word[:-1])
    return out


_EMOJI_NAME = re.compile(r"[^a-z0-9' -]")


@lru_cache(maxsize=1)
def emoji_index() -> dict[str, Thing]:
    """English emoji names and aliases from the ``emoji`` package -> Thing (no skin tones, no flags)."""
    try:
        import emoji
    except ImportError:
        return {}
    index: dict[str, Thing] = {}
    for char, data in emoji.EMOJI_DATA.items():
        if data.get("status", 2) != emoji.STATUS["fully_qualified"]:
            continue
        names = [data.get("en", "")] + list(data.get("alias", []))
        for raw in names:
            name = raw.strip(":").replace("_", " ").lower()
            if "skin tone" in name or name.startswith("flag") or _EMOJI_NAME.search(name):
                continue
            index.setdefault(name, Thing(name=name, glyph=char, scale=0.8))
    return index


def all_drawable() -> dict[str, Thing]:
    """Every curated subject and landmark, by word (the test renders each one)."""
    return {**SUBJECTS, **LANDMARKS}
