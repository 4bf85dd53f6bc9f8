// Random room names of three words and a number, like "quiet-harbor-lantern-042": easy to read
// out, hard to guess (132 × 119 × 119 × 1000, about 1.9 billion names, 31 bits), chosen with the
// browser's CSPRNG. A room opened under such a name is unlisted (the home page unticks "show in
// the list"), so the name is known only to those who get the link.

const ADJECTIVES = ('able acid aged airy amber ample arctic azure balmy bold brave brief bright brisk calm candid '
  + 'casual cheerful civic clean clear clever cosmic cozy crisp curly dapper daring dawn deep dense eager early '
  + 'easy elated elder epic even exact fair fancy fast fervent fine firm fluent fond frank fresh frosty gentle '
  + 'giant glad golden grand green happy hardy hazel hearty honest humble icy ideal jolly jovial keen kind lively '
  + 'lucid lucky lunar magic mellow merry mighty misty modern noble nimble novel olive opal patient placid plain '
  + 'polar proud quick quiet rapid rare ready regal rosy royal rustic sandy scarlet serene sharp shiny silent '
  + 'silver simple sleek smart snowy solar solid spry steady stellar still sunny super swift tidy tender tranquil '
  + 'true upbeat urban valid vast velvet vivid warm wise witty young zesty').split(' ');
const NOUNS = ('anchor apple arrow aspen atlas badge bamboo banner basin beacon birch bison blossom breeze brook '
  + 'cabin canyon cedar cello chalk cherry cinder cliff clover comet coral cotton crane crest dawn delta desert '
  + 'dune eagle ember falcon fern field fjord flame forest fossil fountain galaxy garden geyser glacier glade '
  + 'granite grove harbor hawk heron hill horizon island ivy jasmine juniper kettle lagoon lantern lark lemon '
  + 'lily linden lotus maple marble meadow mesa meteor mint moon moss nebula oak oasis ocean orchard otter '
  + 'panda pebble pine planet plaza pond poplar prairie quartz rain raven reef ridge river robin rocket sage '
  + 'sail shore sky spruce star stone stream summit sun thunder tide timber trail tulip valley violet willow '
  + 'wind wren yarrow zephyr').split(' ');

function pick(list) {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return list[n % list.length];
}

/** adjective-noun-noun-number, e.g. "swift-harbor-lantern-042". */
export function randomRoomName() {
  const [n] = crypto.getRandomValues(new Uint16Array(1));
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${pick(NOUNS)}-${String(n % 1000).padStart(3, '0')}`;
}
