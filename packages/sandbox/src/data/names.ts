/** People and places the generated creators are made of. */

export const FIRST_NAMES = [
  "Ana", "Ben", "Chloe", "Diego", "Emma", "Farah", "Gabe", "Hana", "Isaac", "Jade", "Kai", "Lena", "Mateo", "Nora", "Omar",
  "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wren", "Yara", "Zoe", "Luca", "Maya", "Noah", "Ivy", "Leo",
] as const;

export const LAST_NAMES = [
  "Rivera", "Chen", "Okafor", "Novak", "Silva", "Kim", "Haddad", "Larsen", "Moreau", "Patel", "Rossi", "Tanaka", "Walsh",
  "Yilmaz", "Costa", "Nguyen", "Brooks", "Mendes", "Fischer", "Ortiz",
] as const;

/** Where a creator posts from: region code, language code, country name (YouTube `country`). */
export const LOCALES = [
  { region: "US", language: "en", country: "United States", weight: 10 },
  { region: "GB", language: "en", country: "United Kingdom", weight: 3 },
  { region: "CA", language: "en", country: "Canada", weight: 2 },
  { region: "AU", language: "en", country: "Australia", weight: 2 },
  { region: "DE", language: "de", country: "Germany", weight: 1 },
  { region: "FR", language: "fr", country: "France", weight: 1 },
  { region: "BR", language: "pt", country: "Brazil", weight: 1 },
  { region: "MX", language: "es", country: "Mexico", weight: 1 },
  { region: "ES", language: "es", country: "Spain", weight: 1 },
  { region: "IN", language: "en", country: "India", weight: 1 },
] as const;

export type Locale = (typeof LOCALES)[number];

/** Domains of contact emails in bios; `.example` keeps them obviously fake. */
export const EMAIL_DOMAINS = ["gmail.example", "outlook.example", "creators.example", "talentmgmt.example"] as const;

export const CITIES = ["Austin, Texas", "Brooklyn, New York", "Los Angeles, California", "Toronto, Ontario", "London", "Berlin", "Sydney", "Lisbon"] as const;

export const SONGS = [
  "original sound", "Espresso", "Good Luck, Babe!", "Lofi Study Beat", "Cupid (Twin Ver.)", "Paint The Town Red", "Sunny Afternoon", "Calm Piano",
] as const;
