/**
 * Turkish-flavoured name pools for the sandbox seed (first names by gender,
 * surnames), and the ASCII folding used to build e-mail addresses and
 * usernames from them.
 */

/** Women's first names. */
export const WOMEN_FIRST_NAMES = [
  "Elif",
  "Zeynep",
  "Merve",
  "Büşra",
  "Esra",
  "Fatma",
  "Emine",
  "Hatice",
  "Derya",
  "Gizem",
  "Selin",
  "Ebru",
  "Seda",
  "Özge",
  "Tuğba",
  "Aslı",
  "Nur",
  "Sevgi",
  "Canan",
  "Deniz",
  "İrem",
  "Ceren",
  "Melis",
  "Gamze",
  "Pınar",
  "Sibel",
  "Yasemin",
  "Hande",
  "Buse",
  "Damla",
] as const;

/** Men's first names. */
export const MEN_FIRST_NAMES = [
  "Ahmet",
  "Mustafa",
  "Ali",
  "Hüseyin",
  "Hasan",
  "İbrahim",
  "Murat",
  "Emre",
  "Burak",
  "Can",
  "Oğuz",
  "Serkan",
  "Tolga",
  "Onur",
  "Kerem",
  "Barış",
  "Cem",
  "Volkan",
  "Yusuf",
  "Ömer",
  "Selim",
  "Kaan",
  "Berk",
  "Uğur",
  "Gökhan",
  "Tuncay",
  "Erkan",
  "Levent",
  "Sinan",
  "Halil",
] as const;

/** Surnames. */
export const SURNAMES = [
  "Yılmaz",
  "Kaya",
  "Demir",
  "Şahin",
  "Çelik",
  "Yıldız",
  "Yıldırım",
  "Öztürk",
  "Aydın",
  "Özdemir",
  "Arslan",
  "Doğan",
  "Kılıç",
  "Aslan",
  "Çetin",
  "Kara",
  "Koç",
  "Kurt",
  "Özkan",
  "Şimşek",
  "Polat",
  "Korkmaz",
  "Erdoğan",
  "Güneş",
  "Aksoy",
  "Tekin",
  "Ünal",
  "Bulut",
  "Keskin",
  "Güler",
  "Avcı",
  "Karaca",
  "Acar",
  "Uçar",
  "Bozkurt",
  "Eren",
  "Sarı",
  "Altun",
  "Duman",
  "Toprak",
] as const;

/** Turkish cities for addresses. */
export const CITIES = ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Kocaeli", "Eskişehir", "Konya"] as const;

/** Banks for bank information. */
export const BANKS = ["Ziraat Bankası", "İş Bankası", "Garanti BBVA", "Yapı Kredi", "Akbank", "VakıfBank", "Halkbank"] as const;

/** Folds Turkish letters to ASCII and lower-cases (`"Ayşe Yılmaz"` → `"ayse yilmaz"`). */
export function asciiFold(s: string): string {
  return s
    .replace(/[çÇ]/g, "c")
    .replace(/[ğĞ]/g, "g")
    .replace(/[ıİI]/g, "i")
    .replace(/[öÖ]/g, "o")
    .replace(/[şŞ]/g, "s")
    .replace(/[üÜ]/g, "u")
    .toLowerCase();
}
