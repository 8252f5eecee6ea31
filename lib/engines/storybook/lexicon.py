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

# More everyday words (children's vocabulary: pets, farm and wild animals, people, toys, clothes,
# kitchen things, vehicles, buildings). Later tables may add synonyms, never change earlier ones.
for _word, _thing in {
    **_things(
        "ground",
        1.0,
        """hamster|guinea pig|gerbil=🐹@0.35; goose|geese=🪿@0.8; chick|chicks|baby chick|baby bird=🐤@0.35;
        bull|ox|oxen=🐂@1.5; water buffalo=🐃@1.5; donkey|mule=🫏@1.3; leopard|cheetah|jaguar|panther=🐆@1.3;
        orangutan=🦧@1.3; chimpanzee|chimp|ape=🦍@1.3; caterpillar=🐛@0.25; scorpion=🦂@0.3;
        puffer fish|pufferfish|blowfish=🐡@0.5; walrus=🦭@1.2; dog puppy|puppy dog|golden retriever|labrador|poodle|
        dalmatian|terrier|sheepdog|bulldog|husky|beagle=🐕; tabby|tomcat=🐈; pony horse|foal=🐎@1.3;
        piggy|hog|boar=🐖; lamb chop=🐑; billy goat|kid goat=🐐; hen chicken=🐔@0.7; cockerel=🐓@0.8;
        nurse=🧑‍⚕️@1.7; pilot=🧑‍✈️@1.7; singer|pop star|rock star=🧑‍🎤@1.7; dancer|ballerina=💃@1.7;
        swimmer=🏊@1.2; surfer=🏄@1.6; skier=⛷️@1.6; ice skater|skater|figure skater=⛸️@0.6; runner|jogger=🏃@1.7;
        cyclist|biker=🚴@1.6; graduate=🧑‍🎓@1.7; judge=🧑‍⚖️@1.7; mechanic|plumber=🧑‍🔧@1.7;
        builder|construction worker|worker=👷@1.7; detective|spy=🕵️@1.7; guard|soldier=💂@1.7; angel=👼@1.0;
        devil=😈@0.8; ogre|demon=👹@1.0; cowboy|cowgirl=🤠@0.8; brother|son|schoolboy=👦; sister|daughter|schoolgirl=👧;
        friend|friends|classmate|neighbour|neighbor=🧑@1.7; family|families|parents=👫@1.7; toddler|infant=👶@0.6;
        uncle|gentleman|guy=👨@1.7; aunt|auntie|lady=👩@1.7; grandparents|granny|nana=👵@1.6; grandad|granddad=👴@1.6;
        player|athlete=🏃@1.7; explorer|hiker=🧑‍🌾@1.7; postman|mail carrier=🧑‍💼@1.7; ballet dancer=💃@1.7;
        spade|shovel=🪏@0.6; frisbee=🥏@0.3; broom|broomstick=🧹@0.9; picnic|picnic basket|hamper=🧺@0.5;
        fire|campfire|bonfire|flames=🔥@0.7; chopsticks=🥢@0.4; fork|spoon|cutlery=🍴@0.35; plate|dish=🍽️@0.4;
        bowl=🥣@0.35; jar=🫙@0.35; teapot|kettle=🫖@0.45; pan|frying pan=🍳@0.4; knife=🔪@0.35; scissors=✂️@0.35;
        hammer=🔨@0.4; saw=🪚@0.45; axe=🪓@0.5; wrench|spanner|tool|tools=🔧@0.35; ladder=🪜@1.4;
        toothbrush=🪥@0.35; soap=🧼@0.25; bathtub|bath|tub=🛁@1.0; mirror=🪞@0.8; window=🪟@0.9; watch=⌚@0.25;
        light bulb|lightbulb|bulb=💡@0.35; television|tv|telly=📺@0.8; radio=📻@0.5; headphones=🎧@0.35;
        microphone|mic=🎤@0.35; video game|game console|controller|joystick=🎮@0.35; dice|die=🎲@0.25;
        puzzle|jigsaw=🧩@0.35; doll|dolls=🪆@0.5; toy|toys=🧸@0.5; brick|bricks|blocks|building blocks=🧱@0.4;
        roller skates|rollerskates=🛼@0.4; skis=🎿@0.8; sled|sledge|sleigh|toboggan=🛷@0.9; notebook|diary=📓@0.35;
        newspaper=📰@0.4; paper=📄@0.35; pen=🖊️@0.35; ruler=📏@0.4; paint|paints|palette=🎨@0.4;
        suitcase|luggage=🧳@0.6; purse|wallet=👛@0.3; handbag=👜@0.4; shoe|shoes|sneakers|trainers=👟@0.3;
        boot|boots|wellies=👢@0.35; sock|socks=🧦@0.3; dress=👗@0.7; shirt|t-shirt|tshirt=👕@0.5;
        jeans|trousers|pants=👖@0.6;
        coat|jacket=🧥@0.6; gloves|mittens|glove=🧤@0.3; ribbon=🎀@0.3; necklace|beads=📿@0.3;
        sunglasses=🕶️@0.25; medal=🏅@0.3; carousel|merry-go-round|merry go round=🎠@1.8;
        roller coaster|rollercoaster=🎢@2.0;
        circus|circus tent|big top=🎪@2.0; factory=🏭@2.0; hotel=🏨@2.2; bank=🏦@2.0; building|office|apartment|
        apartments|flats=🏢@2.4; cabin|barn|shed|cottage=🛖@1.8; sandcastle|sand castle=🏰@0.8; throne=🪑@1.0;
        table|desk=🪑@0.9; plant|houseplant|pot plant|potted plant=🪴@0.6; log|logs|firewood|stick|sticks=🪵@0.5;
        coral=🪸@0.6; nest|bird nest|bird's nest=🪺@0.4; van|camper van|minibus=🚐@1.4; jeep|suv=🚙@1.3;
        pickup|pickup truck=🛻@1.3; moped|vespa=🛵@1.0; tram|trolley=🚋@1.8; speedboat|motorboat=🚤@1.2;
        ferry=⛴️@1.6; cruise ship|ocean liner=🛳️@1.8; yacht=⛵@1.3; raft|rowing boat|rowboat=🚣@1.2;
        crane|digger|excavator|bulldozer=🏗️@1.8; school bus=🚌@1.8; fire engine truck=🚒@1.8; racing bike=🚲;
        wheelchair=🦽@1.0; bin|trash can|rubbish bin=🗑️@0.6; mailbox|post box|postbox=📮@0.9;
        baseball=⚾@0.3; american football|rugby ball=🏈@0.35; volleyball|beach ball=🏐@0.35; ping pong=🏓@0.3;
        boxing gloves=🥊@0.3; cowboy hat=🤠@0.8; magic hat|top hat=🎩@0.4; feather|feathers=🪶@0.3;
        water bottle|bottle=🍼@0.35; pacifier|dummy=🍼@0.3; paw|paws|paw prints|footprints=🐾@0.3;
        bamboo=🎋@1.8; crystal|crystals=💎@0.35; wheat|hay|crops|rice plant=🌾@0.6; bush|bushes|hedge=🌳@1.0;
        treasure chest|treasure box=🧰@0.6; pillow|cushion=🛋️@0.5""",
    ),
    **_things(
        "ground",
        0.4,
        """salad=🥗; bacon=🥓; steak|meat=🥩; ham|drumstick=🍗; sausage|sausages=🌭; burrito|wrap=🌯;
        dumpling|dumplings=🥟; curry=🍛; bento|lunch box|lunchbox=🍱; soda|lemonade|smoothie|milkshake|cola=🥤;
        mango=🥭; kiwi=🥝; coconut=🥥@0.5; blueberry|blueberries|berries|berry=🫐; melon=🍈@0.5; onion=🧅;
        garlic=🧅; pepper|bell pepper=🫑; chili|chilli=🌶️; cucumber|pickle=🥒; lettuce|cabbage=🥬; peas=🫛;
        beans=🫘; peanut|peanuts|nuts=🥜; olive|olives=🫒; hot chocolate|cocoa=☕; cereal|porridge=🥣;
        bubble tea=🧋; pudding|custard|jelly|jello=🍮; jam=🍯; baby bottle=🍼; waffle|waffles=🧇; toast=🍞;
        bagel=🥯; pretzels=🥨; fish fingers|fish and chips=🍤; prawn|prawns=🍤; ice lolly|popsicle=🍭;
        gingerbread|gingerbread man=🍪; marshmallow|marshmallows=🍬; water glass|glass of water=🥛""",
    ),
    **_things(
        "scatter",
        0.3,
        """autumn|fall|autumn leaf|fall leaves|dry leaves=🍁@0.2; spring|springtime|blossoms=🌸; seeds|seed=🌱@0.15;
        raindrop|raindrops=💧@0.15; snowflake|snowflakes=❄️@0.2; confetti|party|celebration=🎉@0.3;
        pinecone|pine cone=🌰@0.15; poppy|poppies=🌺; lavender flowers|bluebell|bluebells=🪻; starfish|sea star=⭐@0.25;
        dandelion|dandelions=🌼; wildflowers|wild flowers=🌼; moth=🦋@0.3; slug=🐌@0.25""",
    ),
    **_things(
        "sky",
        0.5,
        """crow|raven|blackbird=🐦‍⬛; fireworks|firework=🎆@0.9; sparkler|sparklers=🎇@0.5;
        tornado|twister|whirlwind=🌪️@1.4; glider=✈️@0.8; drone=🛸@0.4; stork|heron|crane bird=🦢@0.9;
        hummingbird|bluebird|songbird|budgie|parakeet|canary=🐦@0.35; dragonfly=🦋@0.25; sun bird=🐦""",
    ),
}.items():
    SUBJECTS.setdefault(_word, _thing)

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
    "meadow": "meadow|meadows|field|fields|grass|grassland|countryside|garden|gardens|park|parks|lawn|farm|farmyard|"
    "prairie|hill|hills|hillside|zoo|safari|savanna|savannah|backyard|yard|orchard|vineyard|village green|africa|"
    "picnic area|outdoors|nature|flower field|flower garden",
    "beach": "beach|beaches|seaside|coast|shore|sand|sandy|island|sandy beach",
    "desert": "desert|deserts|sahara|dunes|dune|sand dunes|egypt|oasis|outback|wild west",
    "forest": "forest|forests|woods|wood|jungle|jungles|rainforest|rain forest|woodland|swamp|marsh|bog|campsite|"
    "camp|treehouse|tree house|enchanted forest|magic forest",
    "city": "city|cities|town|towns|street|streets|downtown|village|new york|london|paris|tokyo|road|roads|highway|"
    "avenue|square|town square|neighbourhood|neighborhood|rooftop|rooftops|roof|car park|parking lot|bus stop|"
    "traffic|sidewalk|pavement|rome|beijing|cairo|mumbai|delhi|madrid|berlin|sydney|city street",
    "snow": "snow field|arctic|antarctica|antarctic|north pole|south pole|winter|wintertime|tundra|ice|glacier|"
    "snowy field|frozen lake|frozen pond|ice rink|skating rink|ski slope|snowy mountain|igloo village",
    "underwater": "underwater|under the sea|ocean floor|seabed|reef|coral reef|aquarium|deep sea|deep ocean|"
    "bottom of the sea|bottom of the ocean|under water|undersea|under the ocean|under the water|shipwreck|fish tank",
    "sea": "sea|seas|ocean|oceans|lake|lakes|river|rivers|pond|ponds|water|harbour|harbor|bay|pool|swimming pool|"
    "stream|creek|waves|port|canal",
    "space": "space|outer space|galaxy|universe|stars sky|solar system|space station|orbit",
    "moon": "moon surface|lunar|on the moon|lunar surface|mars|on mars|planet mars",
    "mountains": "mountains|alps|himalayas|valley|valleys|canyon|canyons|cave|caves|cliff|cliffs|mountain range|"
    "rocky mountains|peaks|mountain top|mountaintop|top of a mountain",
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
    "dawn": "dawn|sunrise|daybreak|early morning|first light|morning sunlight|early morning sunlight|sun rising",
    "morning": "morning|morning light",
    "noon": "noon|midday|lunchtime|lunch time|hot day|hot|day|daytime|afternoon|sunny|"
    "sunshine|sunlight|sun|summer|bright|"
    "blue sky|clear sky|"
    "sunny day|bright day|daylight",
    "sunset": "sunset|sunsets|dusk|evening|twilight|golden hour|sundown|early evening|sun setting",
    "night": "night|nights|tonight|bedtime|late at night|after dark|in the dark|dark|night-time|"
    "midnight|nighttime|night time|starry|"
    "starry night|moonlight|moonlit|moon|the moon|moon at night|"
    "under the stars|under the moon|night sky|starry sky|full moon",
}.items():
    for _word in _words.split("|"):
        TIMES[_word] = _time

#: Weather on top of the scene.
WEATHER: dict[str, str] = {}
for _weather, _words in {
    "fog": "fog|foggy|mist|misty|haze|hazy",
    "rain": "rain|rainy|raining|rains|rainstorm|drizzle|drizzly|shower|showers|wet|puddle|puddles|hail|downpour",
    "snow": "snow|snowy|snowing|snowfall|blizzard|frost|frosty|icy|freezing|snowstorm",
    "storm": "storm|storms|stormy|thunder|thunderstorm|lightning|hurricane|thundery|typhoon",
    "rainbow": "rainbow|rainbows",
    "cloudy": "cloudy|overcast|grey sky|gray sky|cloudy sky|grey day|gray day|gloomy",
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
    "light blue": (120, 180, 240),
    "sky blue": (120, 180, 240),
    "dark blue": (30, 50, 140),
    "navy": (30, 40, 110),
    "navy blue": (30, 40, 110),
    "dark green": (30, 100, 45),
    "light green": (140, 215, 120),
    "lime": (150, 220, 60),
    "cyan": (40, 200, 220),
    "magenta": (220, 50, 170),
    "beige": (225, 205, 170),
    "cream": (245, 235, 200),
    "maroon": (120, 30, 40),
    "crimson": (200, 20, 50),
    "scarlet": (230, 40, 30),
    "indigo": (75, 40, 150),
    "lilac": (200, 160, 220),
    "lavender": (190, 160, 230),
    "dark red": (150, 25, 30),
    "light pink": (250, 180, 210),
    "hot pink": (250, 80, 160),
    "dark brown": (90, 55, 30),
    "light brown": (180, 130, 80),
    "tan": (200, 160, 110),
    "bronze": (180, 120, 60),
    "rainbow coloured": (220, 100, 180),
}

NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2, "pair of": 2, "a pair of": 2,
    "a few": 3, "few": 3, "several": 4, "some": 3, "many": 7, "lots of": 8, "a lot of": 8, "dozens of": 12,
    "a dozen": 12, "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "hundreds of": 12, "a hundred": 12, "hundred": 12,
    "thousands of": 12, "millions of": 12, "a bunch of": 4, "bunch of": 4, "a group of": 4, "group of": 4,
    "a herd of": 5, "herd of": 5, "a flock of": 6, "flock of": 6, "a school of": 6, "a pack of": 4, "pack of": 4,
    "loads of": 8, "tons of": 8, "plenty of": 6, "a swarm of": 8, "swarm of": 8, "a pile of": 5, "pile of": 5,
    "a crowd of": 6, "crowd of": 6, "a team of": 5, "team of": 5, "a litter of": 4, "lot of": 8, "lots and lots of": 10,
    "both": 2, "twins": 2, "a row of": 5, "row of": 5, "a line of": 5, "line of": 5,
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
    "flying over": "above", "wearing": "wearing", "wears": "wearing", "dressed in": "wearing",
    "in a": "in", "at": "in", "along with": "next to", "alongside": "next to", "together with": "next to",
    "on the back of": "on", "on top": "on", "high above": "above", "up in": "above",
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
    they he she him we us you i me colourful colorful multicoloured multicolored funny silly scary spooky magic
    magical haunted fluffy furry shiny sparkly sparkling glowing cold dry deep bright dark-haired cool awesome
    amazing wonderful fantastic adorable sweet yummy delicious tasty wild brave strong fast slow sad angry
    sleepy hungry excited giant-sized real realistic detailed little-known famous favourite favorite new best
    good great fun lonely lost scared surprised kind-hearted fat thin round square long lot lots bunch kinds
    type sort like near by day's mine yours ours on onto got get gets going goes went come comes coming""".split()
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
    laughing smiling crying waving chasing hiding racing driving drives riding having fighting fights breathing
    juggling building builds howling howls glowing hanging hangs cuddling hugging hugs kissing kicking throwing
    catching digging barking meowing roaring grazing hunting exploring shopping baking cleaning washing talking
    sitting standing lying looking watching waiting floating sailing rowing diving skiing snowboarding
    skateboarding cycling hopping crawling rolling sliding spinning falling growing blooming shining
    melting burning pulling pushing carrying wearing""".split()
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
