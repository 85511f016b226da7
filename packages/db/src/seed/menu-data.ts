/**
 * The demo chain's menu as plain data. The seed turns it into rows (ids derived from slugs).
 * Prices are integer cents; sizes are variations; `removable` ingredients become a per-product
 * "remove / extra" modifier group; `groups` name shared modifier groups.
 */

export interface IngredientDef {
  slug: string;
  name: string;
  allergens?: string[];
}

export const INGREDIENTS: IngredientDef[] = [
  { slug: "dough", name: "Pizza Dough", allergens: ["wheat"] },
  { slug: "mozzarella", name: "Mozzarella", allergens: ["milk"] },
  { slug: "fresh-mozzarella", name: "Fresh Mozzarella", allergens: ["milk"] },
  { slug: "tomato-sauce", name: "Tomato Sauce" },
  { slug: "pepperoni", name: "Pepperoni" },
  { slug: "italian-sausage", name: "Italian Sausage" },
  { slug: "mushrooms", name: "Mushrooms" },
  { slug: "onions", name: "Onions" },
  { slug: "green-peppers", name: "Green Peppers" },
  { slug: "black-olives", name: "Black Olives" },
  { slug: "jalapenos", name: "Jalapeños" },
  { slug: "pineapple", name: "Pineapple" },
  { slug: "ham", name: "Ham" },
  { slug: "bacon", name: "Bacon" },
  { slug: "grilled-chicken", name: "Grilled Chicken" },
  { slug: "buffalo-sauce", name: "Buffalo Sauce", allergens: ["milk"] },
  { slug: "bbq-sauce", name: "BBQ Sauce" },
  { slug: "ricotta", name: "Ricotta", allergens: ["milk"] },
  { slug: "garlic", name: "Garlic" },
  { slug: "spinach", name: "Spinach" },
  { slug: "artichokes", name: "Artichoke Hearts" },
  { slug: "basil", name: "Fresh Basil" },
  { slug: "romaine", name: "Romaine" },
  { slug: "croutons", name: "Croutons", allergens: ["wheat"] },
  { slug: "parmesan", name: "Parmesan", allergens: ["milk"] },
  { slug: "feta", name: "Feta", allergens: ["milk"] },
  { slug: "tomatoes", name: "Tomatoes" },
  { slug: "cucumbers", name: "Cucumbers" },
  { slug: "salami", name: "Salami" },
  { slug: "provolone", name: "Provolone", allergens: ["milk"] },
  { slug: "pepperoncini", name: "Pepperoncini" },
  { slug: "meatballs", name: "Meatballs", allergens: ["wheat", "egg", "milk"] },
  { slug: "chicken-wings", name: "Chicken Wings" },
  { slug: "breaded-chicken", name: "Breaded Chicken", allergens: ["wheat", "egg"] },
  { slug: "pasta", name: "Pasta", allergens: ["wheat", "egg"] },
  { slug: "cream-sauce", name: "Alfredo Sauce", allergens: ["milk"] },
  { slug: "sub-roll", name: "Sub Roll", allergens: ["wheat", "sesame"] },
  { slug: "potatoes", name: "Potatoes" },
  { slug: "fryer-oil", name: "Fryer Oil (soybean)", allergens: ["soy"] },
  { slug: "lemons", name: "Lemons" },
];

export interface ModifierDef {
  slug: string;
  name: string;
  aliases?: string[];
  priceCents?: number;
  /** Price of "extra"; omit = extra not offered. */
  extraPriceCents?: number;
  ingredient?: string;
  isDefault?: boolean;
}

export interface ModifierGroupDef {
  slug: string;
  name: string;
  min: number;
  max: number;
  kind: "addon" | "removable";
  modifiers: ModifierDef[];
}

/** Shared modifier groups (per-product "remove" groups are generated from `removable`). */
export const MODIFIER_GROUPS: ModifierGroupDef[] = [
  {
    slug: "pizza-crust",
    name: "Crust",
    min: 1,
    max: 1,
    kind: "addon",
    modifiers: [
      { slug: "hand-tossed", name: "Hand-Tossed", aliases: ["regular crust", "normal crust", "hand tossed"], isDefault: true, ingredient: "dough" },
      { slug: "thin-crust", name: "Thin Crust", aliases: ["thin", "crispy crust"], ingredient: "dough" },
      { slug: "pan-crust", name: "Pan Crust", aliases: ["pan", "thick crust", "deep dish"], priceCents: 200, ingredient: "dough" },
      { slug: "gluten-free-crust", name: "Gluten-Free Crust", aliases: ["gluten free", "gf crust", "gluten-free"], priceCents: 300 },
    ],
  },
  {
    slug: "pizza-toppings",
    name: "Add Toppings",
    min: 0,
    max: 8,
    kind: "addon",
    modifiers: [
      { slug: "pepperoni", name: "Pepperoni", aliases: ["pep", "roni"], priceCents: 200, extraPriceCents: 200, ingredient: "pepperoni" },
      { slug: "italian-sausage", name: "Italian Sausage", aliases: ["sausage"], priceCents: 200, extraPriceCents: 200, ingredient: "italian-sausage" },
      { slug: "mushrooms", name: "Mushrooms", aliases: ["mushroom", "shrooms"], priceCents: 175, extraPriceCents: 175, ingredient: "mushrooms" },
      { slug: "onions", name: "Onions", aliases: ["onion"], priceCents: 150, extraPriceCents: 150, ingredient: "onions" },
      { slug: "green-peppers", name: "Green Peppers", aliases: ["peppers", "bell peppers"], priceCents: 150, extraPriceCents: 150, ingredient: "green-peppers" },
      { slug: "black-olives", name: "Black Olives", aliases: ["olives"], priceCents: 150, extraPriceCents: 150, ingredient: "black-olives" },
      { slug: "jalapenos", name: "Jalapeños", aliases: ["jalapenos", "jalapeno", "hot peppers"], priceCents: 150, extraPriceCents: 150, ingredient: "jalapenos" },
      { slug: "pineapple", name: "Pineapple", priceCents: 175, extraPriceCents: 175, ingredient: "pineapple" },
      { slug: "ham", name: "Ham", priceCents: 200, extraPriceCents: 200, ingredient: "ham" },
      { slug: "bacon", name: "Bacon", priceCents: 225, extraPriceCents: 225, ingredient: "bacon" },
      { slug: "grilled-chicken", name: "Grilled Chicken", aliases: ["chicken"], priceCents: 250, extraPriceCents: 250, ingredient: "grilled-chicken" },
      { slug: "spinach", name: "Spinach", priceCents: 150, extraPriceCents: 150, ingredient: "spinach" },
      { slug: "ricotta", name: "Ricotta", priceCents: 200, extraPriceCents: 200, ingredient: "ricotta" },
    ],
  },
  {
    slug: "wing-sauce",
    name: "Wing Sauce",
    min: 1,
    max: 1,
    kind: "addon",
    modifiers: [
      { slug: "buffalo-medium", name: "Buffalo Medium", aliases: ["medium", "buffalo", "regular buffalo"], isDefault: true, ingredient: "buffalo-sauce" },
      { slug: "buffalo-mild", name: "Buffalo Mild", aliases: ["mild"], ingredient: "buffalo-sauce" },
      { slug: "buffalo-hot", name: "Buffalo Hot", aliases: ["hot", "spicy"], ingredient: "buffalo-sauce" },
      { slug: "garlic-parmesan", name: "Garlic Parmesan", aliases: ["garlic parm"], ingredient: "parmesan" },
      { slug: "bbq", name: "BBQ", aliases: ["barbecue", "bbq sauce"], ingredient: "bbq-sauce" },
      { slug: "honey-garlic", name: "Honey Garlic", ingredient: "garlic" },
      { slug: "plain", name: "Plain (no sauce)", aliases: ["plain", "naked", "no sauce"] },
    ],
  },
  {
    slug: "dipping-sauce",
    name: "Dipping Sauce",
    min: 0,
    max: 2,
    kind: "addon",
    modifiers: [
      { slug: "blue-cheese", name: "Blue Cheese", aliases: ["bleu cheese"], extraPriceCents: 75 },
      { slug: "ranch", name: "Ranch", extraPriceCents: 75 },
      { slug: "marinara", name: "Marinara", aliases: ["red sauce", "tomato sauce"], extraPriceCents: 75, ingredient: "tomato-sauce" },
      { slug: "garlic-butter", name: "Garlic Butter", extraPriceCents: 75 },
    ],
  },
  {
    slug: "salad-dressing",
    name: "Dressing",
    min: 1,
    max: 1,
    kind: "addon",
    modifiers: [
      { slug: "ranch", name: "Ranch", isDefault: true },
      { slug: "blue-cheese", name: "Blue Cheese", aliases: ["bleu cheese"] },
      { slug: "italian", name: "Italian" },
      { slug: "balsamic", name: "Balsamic Vinaigrette", aliases: ["balsamic"] },
      { slug: "caesar", name: "Caesar" },
      { slug: "greek", name: "Greek Vinaigrette", aliases: ["greek dressing"] },
    ],
  },
  {
    slug: "add-protein",
    name: "Add Protein",
    min: 0,
    max: 2,
    kind: "addon",
    modifiers: [
      { slug: "grilled-chicken", name: "Grilled Chicken", aliases: ["chicken"], priceCents: 399, ingredient: "grilled-chicken" },
      { slug: "crispy-chicken", name: "Crispy Chicken", priceCents: 399, ingredient: "breaded-chicken" },
      { slug: "meatballs", name: "Meatballs", priceCents: 399, ingredient: "meatballs" },
      { slug: "italian-sausage", name: "Italian Sausage", aliases: ["sausage"], priceCents: 349, ingredient: "italian-sausage" },
    ],
  },
];

export interface ProductDef {
  slug: string;
  name: string;
  aliases?: string[];
  description: string;
  /** Single entry = no size to ask. */
  sizes: { slug: string; name: string; priceCents: number; aliases?: string[]; isDefault?: boolean }[];
  /** Ingredients the product contains (availability + allergens). */
  ingredients?: string[];
  /** Subset of `ingredients` a caller may remove ("no onions") or double ("extra cheese"). */
  removable?: { ingredient: string; name?: string; aliases?: string[]; extraPriceCents?: number }[];
  groups?: string[];
  extraAllergens?: string[];
  servingWindow?: { start: string; end: string };
}

export interface CategoryDef {
  slug: string;
  name: string;
  description: string;
  products: ProductDef[];
}

const pizzaSizes = (s: number, m: number, l: number) => [
  { slug: "small", name: "Small", priceCents: s, aliases: ['10"', "10 inch", "personal"] },
  { slug: "medium", name: "Medium", priceCents: m, aliases: ['12"', "12 inch"], isDefault: true },
  { slug: "large", name: "Large", priceCents: l, aliases: ['14"', "14 inch", "big"] },
];
const fountain = (s: number, m: number, l: number) => [
  { slug: "small", name: "Small", priceCents: s, aliases: ["16 oz"] },
  { slug: "medium", name: "Medium", priceCents: m, aliases: ["20 oz", "regular"], isDefault: true },
  { slug: "large", name: "Large", priceCents: l, aliases: ["32 oz"] },
];
const single = (priceCents: number) => [{ slug: "regular", name: "Regular", priceCents, isDefault: true }];

const CHEESE = { ingredient: "mozzarella", name: "Cheese", aliases: ["cheese", "mozzarella", "mozz"], extraPriceCents: 200 };
const SAUCE = { ingredient: "tomato-sauce", name: "Tomato Sauce", aliases: ["sauce", "red sauce"], extraPriceCents: 0 };
const PIZZA_GROUPS = ["pizza-crust", "pizza-toppings"];
const PIZZA_BASE = ["dough", "mozzarella", "tomato-sauce"];
const topping = (ingredient: string, name: string, aliases: string[] = [], extraPriceCents = 200) => ({ ingredient, name, aliases, extraPriceCents });

export const CATEGORIES: CategoryDef[] = [
  {
    slug: "pizzas",
    name: "Classic Pizzas",
    description: "Hand-stretched New York style pies, 10\", 12\" or 14\".",
    products: [
      { slug: "cheese-pizza", name: "Cheese Pizza", aliases: ["cheese", "plain pizza", "plain cheese", "cheese pie"], description: "Tomato sauce and whole-milk mozzarella.", sizes: pizzaSizes(1299, 1599, 1899), ingredients: PIZZA_BASE, removable: [CHEESE, SAUCE], groups: PIZZA_GROUPS },
      { slug: "pepperoni-pizza", name: "Pepperoni Pizza", aliases: ["pep", "pepperoni", "pepperoni pie", "roni"], description: "Cup-and-char pepperoni over mozzarella.", sizes: pizzaSizes(1449, 1749, 2099), ingredients: [...PIZZA_BASE, "pepperoni"], removable: [CHEESE, SAUCE, topping("pepperoni", "Pepperoni", ["pep", "roni"])], groups: PIZZA_GROUPS },
      { slug: "margherita-pizza", name: "Margherita Pizza", aliases: ["margarita", "margherita", "marg"], description: "Fresh mozzarella, San Marzano tomato sauce, basil, olive oil.", sizes: pizzaSizes(1499, 1799, 2149), ingredients: ["dough", "fresh-mozzarella", "tomato-sauce", "basil"], removable: [topping("basil", "Basil", [], 0), { ingredient: "fresh-mozzarella", name: "Fresh Mozzarella", aliases: ["cheese", "mozzarella"], extraPriceCents: 250 }], groups: PIZZA_GROUPS },
      { slug: "sausage-pizza", name: "Italian Sausage Pizza", aliases: ["sausage", "sausage pizza"], description: "Fennel sausage crumbles and mozzarella.", sizes: pizzaSizes(1449, 1749, 2099), ingredients: [...PIZZA_BASE, "italian-sausage"], removable: [CHEESE, SAUCE, topping("italian-sausage", "Sausage", ["sausage"])], groups: PIZZA_GROUPS },
      { slug: "mushroom-pizza", name: "Mushroom Pizza", aliases: ["mushroom", "shroom pizza"], description: "Roasted cremini mushrooms and mozzarella.", sizes: pizzaSizes(1399, 1699, 1999), ingredients: [...PIZZA_BASE, "mushrooms"], removable: [CHEESE, SAUCE], groups: PIZZA_GROUPS },
      { slug: "garden-veggie-pizza", name: "Garden Veggie Pizza", aliases: ["veggie", "vegetable pizza", "veggie lovers"], description: "Mushrooms, green peppers, onions, black olives and tomatoes.", sizes: pizzaSizes(1549, 1849, 2249), ingredients: [...PIZZA_BASE, "mushrooms", "green-peppers", "onions", "black-olives", "tomatoes"], removable: [CHEESE, topping("mushrooms", "Mushrooms", ["mushroom"], 175), topping("green-peppers", "Green Peppers", ["peppers"], 150), topping("onions", "Onions", ["onion"], 150), topping("black-olives", "Black Olives", ["olives"], 150), topping("tomatoes", "Tomatoes", ["tomato"], 150)], groups: PIZZA_GROUPS },
      { slug: "hawaiian-pizza", name: "Hawaiian Pizza", aliases: ["hawaiian", "ham and pineapple"], description: "Ham and pineapple.", sizes: pizzaSizes(1499, 1799, 2149), ingredients: [...PIZZA_BASE, "ham", "pineapple"], removable: [CHEESE, topping("ham", "Ham"), topping("pineapple", "Pineapple", [], 175)], groups: PIZZA_GROUPS },
    ],
  },
  {
    slug: "specialty-pizzas",
    name: "Specialty Pizzas",
    description: "House favourites, loaded.",
    products: [
      { slug: "supreme-pizza", name: "Supreme Pizza", aliases: ["supreme", "the works", "everything pizza"], description: "Pepperoni, sausage, mushrooms, green peppers, onions and black olives.", sizes: pizzaSizes(1699, 2049, 2449), ingredients: [...PIZZA_BASE, "pepperoni", "italian-sausage", "mushrooms", "green-peppers", "onions", "black-olives"], removable: [CHEESE, topping("pepperoni", "Pepperoni", ["pep"]), topping("italian-sausage", "Sausage", ["sausage"]), topping("mushrooms", "Mushrooms", ["mushroom"], 175), topping("green-peppers", "Green Peppers", ["peppers"], 150), topping("onions", "Onions", ["onion"], 150), topping("black-olives", "Black Olives", ["olives"], 150)], groups: PIZZA_GROUPS },
      { slug: "meat-lovers-pizza", name: "Meat Lovers Pizza", aliases: ["meat lovers", "meat lover's", "all meat", "meat pizza"], description: "Pepperoni, sausage, ham and bacon.", sizes: pizzaSizes(1749, 2099, 2499), ingredients: [...PIZZA_BASE, "pepperoni", "italian-sausage", "ham", "bacon"], removable: [CHEESE, topping("pepperoni", "Pepperoni", ["pep"]), topping("italian-sausage", "Sausage", ["sausage"]), topping("ham", "Ham"), topping("bacon", "Bacon", [], 225)], groups: PIZZA_GROUPS },
      { slug: "buffalo-chicken-pizza", name: "Buffalo Chicken Pizza", aliases: ["buffalo chicken", "buffalo pizza", "buffalo chicken pie"], description: "Grilled chicken tossed in buffalo sauce, mozzarella, red onions, ranch drizzle.", sizes: pizzaSizes(1649, 1999, 2399), ingredients: ["dough", "mozzarella", "grilled-chicken", "buffalo-sauce", "onions"], removable: [CHEESE, topping("onions", "Red Onions", ["onion", "onions"], 150), topping("buffalo-sauce", "Buffalo Sauce", ["buffalo"], 0)], groups: PIZZA_GROUPS, extraAllergens: ["egg"] },
      { slug: "bbq-chicken-pizza", name: "BBQ Chicken Pizza", aliases: ["barbecue chicken", "bbq chicken"], description: "Grilled chicken, BBQ sauce, red onions, mozzarella.", sizes: pizzaSizes(1649, 1999, 2399), ingredients: ["dough", "mozzarella", "grilled-chicken", "bbq-sauce", "onions"], removable: [CHEESE, topping("onions", "Red Onions", ["onion", "onions"], 150)], groups: PIZZA_GROUPS },
      { slug: "white-pizza", name: "White Pizza", aliases: ["bianca", "white pie", "pizza bianca"], description: "Ricotta, mozzarella, garlic and olive oil — no red sauce.", sizes: pizzaSizes(1549, 1849, 2199), ingredients: ["dough", "mozzarella", "ricotta", "garlic"], removable: [CHEESE, topping("ricotta", "Ricotta"), topping("garlic", "Garlic", [], 0)], groups: PIZZA_GROUPS },
      { slug: "spinach-artichoke-pizza", name: "Spinach Artichoke Pizza", aliases: ["spinach artichoke", "spinach pizza"], description: "Spinach, artichoke hearts, garlic, mozzarella and parmesan.", sizes: pizzaSizes(1599, 1949, 2299), ingredients: ["dough", "mozzarella", "spinach", "artichokes", "garlic", "parmesan"], removable: [CHEESE, topping("artichokes", "Artichoke Hearts", ["artichoke", "artichokes"], 200)], groups: PIZZA_GROUPS },
    ],
  },
  {
    slug: "wings",
    name: "Wings & Tenders",
    description: "Crispy wings tossed in your choice of sauce.",
    products: [
      { slug: "buffalo-wings", name: "Buffalo Wings", aliases: ["wings", "chicken wings", "hot wings", "bone-in wings"], description: "Bone-in wings with celery; choose a sauce.", sizes: [{ slug: "6-piece", name: "6 Piece", priceCents: 899, aliases: ["six", "6"] }, { slug: "12-piece", name: "12 Piece", priceCents: 1599, aliases: ["twelve", "dozen", "12"], isDefault: true }, { slug: "24-piece", name: "24 Piece", priceCents: 2999, aliases: ["twenty four", "24"] }], ingredients: ["chicken-wings", "fryer-oil"], groups: ["wing-sauce", "dipping-sauce"] },
      { slug: "boneless-wings", name: "Boneless Wings", aliases: ["boneless", "boneless bites"], description: "Breaded all-white-meat bites; choose a sauce.", sizes: [{ slug: "8-piece", name: "8 Piece", priceCents: 849, aliases: ["eight"] }, { slug: "16-piece", name: "16 Piece", priceCents: 1499, aliases: ["sixteen"], isDefault: true }], ingredients: ["breaded-chicken", "fryer-oil"], groups: ["wing-sauce", "dipping-sauce"] },
      { slug: "chicken-tenders", name: "Chicken Tenders", aliases: ["tenders", "chicken fingers", "chicken strips"], description: "Four hand-breaded tenders with fries.", sizes: single(1099), ingredients: ["breaded-chicken", "potatoes", "fryer-oil"], groups: ["dipping-sauce"] },
    ],
  },
  {
    slug: "salads",
    name: "Salads",
    description: "Fresh, made to order.",
    products: [
      { slug: "caesar-salad", name: "Caesar Salad", aliases: ["caesar"], description: "Romaine, parmesan and croutons with Caesar dressing.", sizes: single(999), ingredients: ["romaine", "parmesan", "croutons"], removable: [{ ingredient: "croutons", name: "Croutons" }, { ingredient: "parmesan", name: "Parmesan", aliases: ["cheese"], extraPriceCents: 100 }], groups: ["salad-dressing", "add-protein"], extraAllergens: ["egg", "fish"] },
      { slug: "garden-salad", name: "Garden Salad", aliases: ["house salad", "side salad", "green salad"], description: "Romaine, tomatoes, cucumbers, onions and croutons.", sizes: [{ slug: "side", name: "Side", priceCents: 549, aliases: ["small"] }, { slug: "entree", name: "Entrée", priceCents: 899, aliases: ["large", "entree", "full"], isDefault: true }], ingredients: ["romaine", "tomatoes", "cucumbers", "onions", "croutons"], removable: [{ ingredient: "onions", name: "Onions", aliases: ["onion"] }, { ingredient: "croutons", name: "Croutons" }, { ingredient: "tomatoes", name: "Tomatoes", aliases: ["tomato"] }, { ingredient: "cucumbers", name: "Cucumbers", aliases: ["cucumber"] }], groups: ["salad-dressing", "add-protein"] },
      { slug: "greek-salad", name: "Greek Salad", aliases: ["greek"], description: "Romaine, feta, black olives, tomatoes, cucumbers and red onions.", sizes: single(1099), ingredients: ["romaine", "feta", "black-olives", "tomatoes", "cucumbers", "onions"], removable: [{ ingredient: "onions", name: "Red Onions", aliases: ["onion", "onions"] }, { ingredient: "black-olives", name: "Black Olives", aliases: ["olives"] }, { ingredient: "feta", name: "Feta", aliases: ["cheese"], extraPriceCents: 150 }], groups: ["salad-dressing", "add-protein"] },
      { slug: "antipasto-salad", name: "Antipasto Salad", aliases: ["antipasto"], description: "Romaine, salami, provolone, pepperoncini, black olives and tomatoes.", sizes: single(1299), ingredients: ["romaine", "salami", "provolone", "pepperoncini", "black-olives", "tomatoes"], removable: [{ ingredient: "pepperoncini", name: "Pepperoncini" }, { ingredient: "black-olives", name: "Black Olives", aliases: ["olives"] }], groups: ["salad-dressing"] },
    ],
  },
  {
    slug: "sides",
    name: "Sides & Apps",
    description: "Starters and sides.",
    products: [
      { slug: "garlic-knots", name: "Garlic Knots", aliases: ["knots", "garlic rolls"], description: "Baked knots brushed with garlic butter, with marinara.", sizes: [{ slug: "6-piece", name: "6 Piece", priceCents: 599, aliases: ["six", "half dozen"], isDefault: true }, { slug: "12-piece", name: "12 Piece", priceCents: 999, aliases: ["twelve", "dozen"] }], ingredients: ["dough", "garlic", "parmesan"], groups: ["dipping-sauce"] },
      { slug: "mozzarella-sticks", name: "Mozzarella Sticks", aliases: ["mozz sticks", "cheese sticks"], description: "Six breaded mozzarella sticks with marinara.", sizes: single(849), ingredients: ["mozzarella", "fryer-oil"], groups: ["dipping-sauce"], extraAllergens: ["wheat", "egg"] },
      { slug: "french-fries", name: "French Fries", aliases: ["fries", "chips"], description: "Skin-on fries, sea salt.", sizes: [{ slug: "regular", name: "Regular", priceCents: 449, isDefault: true }, { slug: "large", name: "Large", priceCents: 599 }], ingredients: ["potatoes", "fryer-oil"] },
      { slug: "garlic-bread", name: "Garlic Bread", aliases: ["garlic toast"], description: "Toasted Italian bread with garlic butter; add cheese on request.", sizes: single(549), ingredients: ["sub-roll", "garlic"] },
      { slug: "onion-rings", name: "Onion Rings", aliases: ["rings"], description: "Beer-battered onion rings.", sizes: single(549), ingredients: ["onions", "fryer-oil"], extraAllergens: ["wheat"] },
      { slug: "meatballs-side", name: "Side of Meatballs", aliases: ["meatballs", "side meatballs"], description: "Three meatballs in marinara with parmesan.", sizes: single(699), ingredients: ["meatballs", "tomato-sauce", "parmesan"] },
    ],
  },
  {
    slug: "pasta",
    name: "Pasta",
    description: "Served with garlic bread.",
    products: [
      { slug: "spaghetti-meatballs", name: "Spaghetti and Meatballs", aliases: ["spaghetti", "spaghetti meatballs"], description: "Spaghetti, marinara, three meatballs.", sizes: single(1499), ingredients: ["pasta", "tomato-sauce", "meatballs", "parmesan"], removable: [{ ingredient: "parmesan", name: "Parmesan", aliases: ["cheese"] }], groups: ["add-protein"] },
      { slug: "baked-ziti", name: "Baked Ziti", aliases: ["ziti"], description: "Ziti baked with ricotta, marinara and mozzarella.", sizes: single(1399), ingredients: ["pasta", "ricotta", "tomato-sauce", "mozzarella"], groups: ["add-protein"] },
      { slug: "fettuccine-alfredo", name: "Fettuccine Alfredo", aliases: ["alfredo", "fettuccine"], description: "Fettuccine in parmesan cream sauce.", sizes: single(1449), ingredients: ["pasta", "cream-sauce", "parmesan"], groups: ["add-protein"] },
      { slug: "chicken-parmesan", name: "Chicken Parmesan", aliases: ["chicken parm", "chicken parmigiana"], description: "Breaded chicken cutlet, marinara, mozzarella, over spaghetti.", sizes: single(1699), ingredients: ["breaded-chicken", "tomato-sauce", "mozzarella", "pasta"] },
    ],
  },
  {
    slug: "subs",
    name: "Subs & Calzones",
    description: "Toasted 12\" subs and calzones.",
    products: [
      { slug: "lunch-slice-combo", name: "Lunch Slice Combo", aliases: ["slice combo", "lunch special", "two slices and a drink", "slice and soda"], description: "Two cheese slices and a medium fountain drink. Weekdays and weekends, 11 am to 3 pm.", sizes: single(899), ingredients: PIZZA_BASE, servingWindow: { start: "11:00", end: "15:00" } },
      { slug: "meatball-sub", name: "Meatball Sub", aliases: ["meatball hero", "meatball sandwich", "meatball parm"], description: "Meatballs, marinara and melted provolone.", sizes: single(1149), ingredients: ["sub-roll", "meatballs", "tomato-sauce", "provolone"], removable: [{ ingredient: "provolone", name: "Provolone", aliases: ["cheese"], extraPriceCents: 150 }] },
      { slug: "chicken-parm-sub", name: "Chicken Parm Sub", aliases: ["chicken parm hero", "chicken parmesan sandwich", "chicken parm sandwich"], description: "Breaded chicken, marinara, mozzarella.", sizes: single(1249), ingredients: ["sub-roll", "breaded-chicken", "tomato-sauce", "mozzarella"], removable: [{ ingredient: "mozzarella", name: "Mozzarella", aliases: ["cheese"], extraPriceCents: 150 }] },
      { slug: "italian-sub", name: "Italian Sub", aliases: ["italian hero", "italian combo", "italian sandwich"], description: "Salami, ham, provolone, lettuce, tomatoes, onions, pepperoncini, oil and vinegar.", sizes: single(1199), ingredients: ["sub-roll", "salami", "ham", "provolone", "romaine", "tomatoes", "onions", "pepperoncini"], removable: [{ ingredient: "onions", name: "Onions", aliases: ["onion"] }, { ingredient: "tomatoes", name: "Tomatoes", aliases: ["tomato"] }, { ingredient: "pepperoncini", name: "Pepperoncini", aliases: ["hot peppers"] }, { ingredient: "provolone", name: "Provolone", aliases: ["cheese"], extraPriceCents: 150 }] },
      { slug: "cheese-calzone", name: "Cheese Calzone", aliases: ["calzone"], description: "Ricotta and mozzarella folded in our dough, marinara on the side.", sizes: single(1299), ingredients: ["dough", "ricotta", "mozzarella", "tomato-sauce"], groups: ["pizza-toppings"] },
    ],
  },
  {
    slug: "drinks",
    name: "Drinks",
    description: "Fountain drinks, bottles and 2-liters.",
    products: [
      { slug: "coca-cola", name: "Coca-Cola", aliases: ["coke", "coca cola", "cola", "regular coke"], description: "Fountain Coca-Cola.", sizes: fountain(219, 259, 299) },
      { slug: "diet-coke", name: "Diet Coke", aliases: ["diet", "diet cola"], description: "Fountain Diet Coke.", sizes: fountain(219, 259, 299) },
      { slug: "sprite", name: "Sprite", aliases: ["lemon lime", "lemon-lime soda", "seven up", "7up"], description: "Fountain Sprite.", sizes: fountain(219, 259, 299) },
      { slug: "root-beer", name: "Root Beer", aliases: ["barqs", "barq's"], description: "Fountain Barq's root beer.", sizes: fountain(219, 259, 299) },
      { slug: "iced-tea", name: "Iced Tea", aliases: ["tea", "unsweetened tea", "unsweet tea"], description: "Fresh-brewed unsweetened iced tea.", sizes: fountain(219, 259, 299) },
      { slug: "lemonade", name: "Lemonade", aliases: ["fresh lemonade"], description: "House-squeezed lemonade.", sizes: fountain(299, 349, 399), ingredients: ["lemons"] },
      { slug: "bottled-water", name: "Bottled Water", aliases: ["water", "bottle of water", "dasani"], description: "16.9 oz bottle.", sizes: single(199) },
      { slug: "coca-cola-2-liter", name: "Coca-Cola 2 Liter", aliases: ["2 liter coke", "two liter coke", "2 liter", "two liter"], description: "2-liter bottle.", sizes: single(399) },
    ],
  },
  {
    slug: "desserts",
    name: "Desserts",
    description: "Something sweet.",
    products: [
      { slug: "cannoli", name: "Cannoli", aliases: ["cannolis", "canoli"], description: "Crisp shells filled to order with sweet ricotta and chocolate chips.", sizes: [{ slug: "single", name: "Single", priceCents: 399, aliases: ["one"], isDefault: true }, { slug: "three-pack", name: "3 Pack", priceCents: 999, aliases: ["three"] }], ingredients: ["ricotta"], extraAllergens: ["wheat"] },
      { slug: "tiramisu", name: "Tiramisu", aliases: ["tiramisu cake"], description: "Espresso-soaked ladyfingers and mascarpone.", sizes: single(699), extraAllergens: ["milk", "egg", "wheat"] },
      { slug: "ny-cheesecake", name: "New York Cheesecake", aliases: ["cheesecake", "cheese cake"], description: "Classic NY cheesecake slice.", sizes: single(649), extraAllergens: ["milk", "egg", "wheat"] },
      { slug: "chocolate-chip-cookie", name: "Chocolate Chip Cookie", aliases: ["cookie", "cookies"], description: "Warm, giant chocolate chip cookie.", sizes: single(299), extraAllergens: ["milk", "egg", "wheat", "soy"] },
      { slug: "zeppole", name: "Zeppole", aliases: ["zeppoles", "zeppolis", "fried dough"], description: "Six Italian doughnuts with powdered sugar.", sizes: single(599), ingredients: ["dough", "fryer-oil"] },
    ],
  },
];
