/**
 * Topics creators post about. A query is matched to a niche by its words so that captions,
 * hashtags and bios read plausibly for the search ("sourdough" finds bakers).
 */
export interface Niche {
  id: string;
  /** Words that send a query to this niche. */
  keywords: readonly string[];
  /** Hashtags (without `#`) used in captions. */
  hashtags: readonly string[];
  /** Words handles and display names are built from. */
  handleWords: readonly string[];
  /** Bio lines; `{name}` is replaced by the creator's first name. */
  bios: readonly string[];
  /** Caption openers; the query and hashtags are appended. */
  captions: readonly string[];
  /** Instagram `category_name`. */
  category: string;
}

export const NICHES: readonly Niche[] = [
  {
    id: "cooking",
    keywords: ["cook", "cooking", "recipe", "recipes", "food", "dinner", "soup", "kitchen", "meal", "tacos", "pasta", "chef"],
    hashtags: ["cooking", "recipe", "foodtok", "easyrecipe", "dinnerideas", "homecooking", "comfortfood"],
    handleWords: ["cozy", "kitchen", "cook", "eats", "table", "spoon", "skillet", "supper", "chef", "pantry"],
    bios: ["Weeknight recipes 🍲", "Home cook sharing easy dinners", "Recipes that actually work", "Feeding my family of {n} on a budget"],
    captions: ["3 cozy dinners you can make tonight", "The only recipe you need this week", "POV: you have 20 minutes and a hungry family", "Trying the viral"],
    category: "Chef",
  },
  {
    id: "baking",
    keywords: ["bake", "baking", "bread", "sourdough", "cake", "pastry", "cookies", "dough"],
    hashtags: ["baking", "sourdough", "bread", "pastry", "bakingtok", "homebaker", "breadtok"],
    handleWords: ["crumb", "loaf", "proof", "flour", "bakes", "oven", "rise", "butter", "crust", "pastry"],
    bios: ["Sourdough & laminated dough 🍞", "Baking classes and bread science", "Professional pastry chef", "Flour on everything"],
    captions: ["Day 3 of my sourdough starter", "Crumb shot you have been waiting for", "How I laminate dough at home", "Open crumb in 5 steps"],
    category: "Bakery",
  },
  {
    id: "fitness",
    keywords: ["fitness", "gym", "workout", "prep", "protein", "running", "run", "yoga", "training", "muscle"],
    hashtags: ["fitness", "gymtok", "workout", "mealprep", "protein", "fitnessjourney", "running"],
    handleWords: ["fit", "lift", "strong", "coach", "run", "move", "gains", "pace", "trail", "active"],
    bios: ["Online coach 💪 DM for programs", "Strength & conditioning coach", "Trail runner | ultramarathons", "Helping you lift smarter"],
    captions: ["Full week of meal prep in one hour", "My 4 day split for beginners", "What I eat in a day", "Stop doing this at the gym"],
    category: "Fitness Trainer",
  },
  {
    id: "beauty",
    keywords: ["makeup", "beauty", "skincare", "skin", "hair", "nails", "lipstick", "glow"],
    hashtags: ["makeup", "skincare", "beautytok", "grwm", "makeuptutorial", "skincareroutine", "glowup"],
    handleWords: ["glow", "glam", "beauty", "blush", "skin", "lash", "gloss", "muse", "rose", "velvet"],
    bios: ["Makeup artist ✨ NYC", "Skincare for sensitive skin", "Licensed esthetician", "GRWM every morning"],
    captions: ["GRWM for a wedding", "My 5 step skincare routine", "Drugstore dupes that slap", "Soft glam in 10 minutes"],
    category: "Beauty, cosmetic & personal care",
  },
  {
    id: "travel",
    keywords: ["travel", "trip", "vacation", "hotel", "beach", "flight", "hiking", "camping", "vanlife"],
    hashtags: ["travel", "traveltok", "bucketlist", "hiddengems", "vanlife", "wanderlust", "roadtrip"],
    handleWords: ["wander", "roam", "nomad", "trips", "atlas", "compass", "travels", "journey", "passport", "coast"],
    bios: ["Full-time traveler 🌍 {n} countries", "Van life with two dogs", "Budget travel tips", "Hidden gems around the world"],
    captions: ["Hidden gem you need to visit", "How I travel full time on a budget", "48 hours in", "Things I wish I knew before visiting"],
    category: "Travel Company",
  },
  {
    id: "tech",
    keywords: ["tech", "phone", "laptop", "coding", "code", "ai", "gadget", "setup", "gaming", "pc"],
    hashtags: ["tech", "techtok", "gadgets", "desksetup", "coding", "ai", "gaming"],
    handleWords: ["tech", "byte", "pixel", "setup", "code", "dev", "gadget", "circuit", "stack", "logic"],
    bios: ["Tech reviews, no fluff", "Software engineer | tips for devs", "Desk setups & gadgets", "I test things so you don't have to"],
    captions: ["This gadget changed my desk setup", "3 apps you need in 2026", "Honest review after 30 days", "Coding tip nobody tells you"],
    category: "Science, Technology & Engineering",
  },
  {
    id: "pets",
    keywords: ["dog", "dogs", "cat", "cats", "pet", "pets", "puppy", "kitten"],
    hashtags: ["dogsoftiktok", "catsoftiktok", "pets", "puppy", "dogtok", "cattok", "petlife"],
    handleWords: ["paws", "pup", "woof", "whiskers", "kitty", "doggo", "furry", "tails", "bark", "meow"],
    bios: ["Two dogs and a very patient cat", "Dog trainer 🐾 positive reinforcement", "Rescue mom", "Daily cat chaos"],
    captions: ["He really did that", "Training my puppy day 12", "Rate my dog's zoomies", "Cat vs cucumber part 2"],
    category: "Pet Service",
  },
  {
    id: "fashion",
    keywords: ["fashion", "outfit", "style", "ootd", "thrift", "clothes", "streetwear", "shoes"],
    hashtags: ["fashion", "ootd", "styletips", "thrifted", "outfitideas", "streetwear", "fashiontok"],
    handleWords: ["style", "thread", "closet", "vintage", "drip", "wardrobe", "fit", "mode", "tailor", "denim"],
    bios: ["Thrift flips & styling tips", "Stylist | capsule wardrobes", "Vintage finds every Friday", "Outfits for real bodies"],
    captions: ["5 ways to style one blazer", "Thrift with me", "Capsule wardrobe for fall", "Outfit check"],
    category: "Clothing (Brand)",
  },
  {
    id: "finance",
    keywords: ["money", "finance", "invest", "investing", "budget", "stocks", "crypto", "savings"],
    hashtags: ["personalfinance", "moneytok", "investing", "budgeting", "financetips", "sidehustle", "savingmoney"],
    handleWords: ["money", "wealth", "budget", "cents", "invest", "frugal", "dollar", "ledger", "capital", "saver"],
    bios: ["CFP® | money tips in 60 seconds", "Paid off $80k of debt", "Budgeting for beginners", "Not financial advice"],
    captions: ["How I budget my paycheck", "3 money mistakes in your 20s", "Index funds explained simply", "Side hustle that actually pays"],
    category: "Financial Service",
  },
  {
    id: "diy",
    keywords: ["diy", "home", "decor", "garden", "gardening", "crafts", "woodworking", "plants", "cleaning"],
    hashtags: ["diy", "homedecor", "gardening", "planttok", "cleantok", "woodworking", "homeimprovement"],
    handleWords: ["home", "nest", "garden", "maker", "crafty", "plant", "cozy", "build", "fern", "timber"],
    bios: ["DIY on a renter's budget", "Plant mom of {n} 🌿", "Woodworker & furniture flipper", "Cleaning hacks daily"],
    captions: ["Renter friendly makeover", "Repotting my monstera", "Built this in a weekend", "Satisfying clean with me"],
    category: "Home Decor",
  },
];

/** The niche whose keywords best match the query; an arbitrary but stable one when none does. */
export function nicheOfQuery(query: string, fallbackIndex: number): Niche {
  const words = query.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  let best: Niche | undefined;
  let bestScore = 0;
  for (const niche of NICHES) {
    const score = words.filter((w) => niche.keywords.some((k) => w === k || (w.length > 3 && w.startsWith(k)))).length;
    if (score > bestScore) {
      best = niche;
      bestScore = score;
    }
  }
  return best ?? NICHES[fallbackIndex % NICHES.length]!;
}
