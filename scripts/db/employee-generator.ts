/**
 * Realistic, reproducible employees for `npm run db:seed`, the tests and the
 * benchmark: the same seed always gives the same rows.
 */

export interface GeneratedEmployee {
  emp_id: number;
  emp_name: string;
  city: string;
  country: string;
  emp_dob: string;
}

const FIRST_NAMES = [
  "Ada",
  "Alan",
  "Amara",
  "Ana",
  "Aroha",
  "Ben",
  "Chen",
  "Chloé",
  "Dario",
  "Elif",
  "Emma",
  "Fatima",
  "Grace",
  "Hiro",
  "Ines",
  "Ivan",
  "Jonas",
  "Kofi",
  "Lars",
  "Leila",
  "Lucas",
  "Maya",
  "Mei",
  "Nadia",
  "Noah",
  "Olga",
  "Omar",
  "Priya",
  "Rafael",
  "Sara",
  "Sofia",
  "Tariq",
  "Thabo",
  "Uma",
  "Viktor",
  "Wen",
  "Yara",
  "Yusuf",
  "Zoe",
];
const LAST_NAMES = [
  "Abebe",
  "Andersson",
  "Banerjee",
  "Costa",
  "Dubois",
  "Eriksen",
  "Fernández",
  "García",
  "Haddad",
  "Ivanova",
  "Jensen",
  "Kim",
  "Kowalski",
  "Lopez",
  "Mensah",
  "Müller",
  "Nakamura",
  "Novak",
  "Okafor",
  "Olsen",
  "Park",
  "Petrov",
  "Quispe",
  "Rossi",
  "Sato",
  "Schmidt",
  "Silva",
  "Singh",
  "Tanaka",
  "Van Dijk",
  "Wang",
  "Yilmaz",
];
const PLACES: [city: string, country: string][] = [
  ["Amsterdam", "Netherlands"],
  ["Rotterdam", "Netherlands"],
  ["Berlin", "Germany"],
  ["Munich", "Germany"],
  ["Hamburg", "Germany"],
  ["Paris", "France"],
  ["Lyon", "France"],
  ["Madrid", "Spain"],
  ["Barcelona", "Spain"],
  ["Lisbon", "Portugal"],
  ["Porto", "Portugal"],
  ["Rome", "Italy"],
  ["Milan", "Italy"],
  ["Stockholm", "Sweden"],
  ["Oslo", "Norway"],
  ["Copenhagen", "Denmark"],
  ["Warsaw", "Poland"],
  ["Kraków", "Poland"],
  ["Istanbul", "Turkey"],
  ["Cairo", "Egypt"],
  ["Lagos", "Nigeria"],
  ["Accra", "Ghana"],
  ["Nairobi", "Kenya"],
  ["Cape Town", "South Africa"],
  ["Mumbai", "India"],
  ["Bengaluru", "India"],
  ["Tokyo", "Japan"],
  ["Osaka", "Japan"],
  ["Seoul", "South Korea"],
  ["Shanghai", "China"],
  ["Singapore", "Singapore"],
  ["Sydney", "Australia"],
  ["Melbourne", "Australia"],
  ["Auckland", "New Zealand"],
  ["Toronto", "Canada"],
  ["Vancouver", "Canada"],
  ["New York", "United States"],
  ["San Francisco", "United States"],
  ["Austin", "United States"],
  ["Mexico City", "Mexico"],
  ["Lima", "Peru"],
  ["São Paulo", "Brazil"],
  ["Buenos Aires", "Argentina"],
];

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const EARLIEST_DOB = Date.UTC(1950, 0, 1);
const LATEST_DOB = Date.UTC(2005, 11, 31);

/** `count` employees with ids `firstId`, `firstId + 1`, …, born 1950..2005. */
export function generateEmployees(count: number, firstId = 1, seed = 20261123): GeneratedEmployee[] {
  const next = random(seed + firstId);
  return Array.from({ length: count }, (_, index) => {
    const [city, country] = pick(next, PLACES);
    const dob = new Date(EARLIEST_DOB + Math.floor(next() * (LATEST_DOB - EARLIEST_DOB)));
    return {
      emp_id: firstId + index,
      emp_name: `${pick(next, FIRST_NAMES)} ${pick(next, LAST_NAMES)}`,
      city,
      country,
      emp_dob: dob.toISOString().slice(0, 10),
    };
  });
}

/** One INSERT of many employees through `unnest`, skipping ids that exist: [query, params] for any driver. */
export function insertEmployeesStatement(rows: GeneratedEmployee[]): [string, unknown[]] {
  return [
    `INSERT INTO employees (emp_id, emp_name, city, country, emp_dob)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::date[])
     ON CONFLICT (emp_id) DO NOTHING`,
    [
      rows.map((row) => row.emp_id),
      rows.map((row) => row.emp_name),
      rows.map((row) => row.city),
      rows.map((row) => row.country),
      rows.map((row) => row.emp_dob),
    ],
  ];
}
