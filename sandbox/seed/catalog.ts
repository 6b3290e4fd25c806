/**
 * Static seed catalog: the two sandbox companies, their credentials and their
 * organisation (departments, branches, positions, shifts, leave types, ...).
 * The generator (seed/build.ts) turns this into records with stable ids.
 *
 * Everything a test may rely on by name is here and in sandbox/README.md.
 */

/** A seed user with known credentials. */
export interface NamedUser {
  /** Key the generator and README use (`ayse`, `mehmet`, ...). */
  readonly key: string;
  readonly email: string;
  readonly password: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly gender: "man" | "woman";
  readonly department: string;
  readonly jobPosition: string;
  readonly title: string;
  /** Key of the manager (parent), or null. */
  readonly manager: string | null;
  readonly isActive: boolean;
  readonly clientId: string;
}

/** One company of the seed. */
export interface CompanySpec {
  readonly key: "acme" | "globex";
  readonly name: string;
  readonly legalName: string;
  readonly apiKey: string;
  readonly emailDomain: string;
  /** Total users, named ones included. */
  readonly userCount: number;
  /** Total leaves. */
  readonly leaveCount: number;
  readonly clientIdBase: number;
  readonly departments: readonly string[];
  readonly branches: readonly { title: string; code: string; lat: string; lng: string; city: string }[];
  readonly jobPositions: readonly string[];
  readonly titles: readonly string[];
  readonly organizationUnits: readonly string[];
  readonly subCompanies: readonly string[];
  readonly builds: readonly string[];
  readonly zones: readonly { name: string; build: number; branch: number }[];
  readonly namedUsers: readonly NamedUser[];
}

/** Job position that has no users in either company (so it can be deleted). */
export const UNUSED_JOB_POSITION = "Arşiv Sorumlusu";

/** The Acme company (the main test tenant). */
export const ACME: CompanySpec = {
  key: "acme",
  name: "Acme Teknoloji A.Ş.",
  legalName: "Acme Teknoloji Anonim Şirketi",
  apiKey: "psg_cmp_sandbox_acme_0000000000000000",
  emailDomain: "acme.example",
  userCount: 64,
  leaveCount: 132,
  clientIdBase: 100000,
  departments: ["Yönetim", "İnsan Kaynakları", "Yazılım Geliştirme", "Satış", "Pazarlama", "Muhasebe", "Operasyon", "Müşteri Hizmetleri"],
  branches: [
    { title: "İstanbul Levent Merkez", code: "IST01", lat: "41.0821", lng: "29.0106", city: "İstanbul" },
    { title: "Ankara Çankaya Şubesi", code: "ANK01", lat: "39.9073", lng: "32.8619", city: "Ankara" },
    { title: "İzmir Alsancak Şubesi", code: "IZM01", lat: "38.4392", lng: "27.1428", city: "İzmir" },
    { title: "Bursa Nilüfer Şubesi", code: "BRS01", lat: "40.2134", lng: "28.9845", city: "Bursa" },
  ],
  jobPositions: [
    "Genel Müdür",
    "İnsan Kaynakları Müdürü",
    "İnsan Kaynakları Uzmanı",
    "Takım Lideri",
    "Kıdemli Yazılım Geliştirici",
    "Yazılım Geliştirici",
    "Satış Temsilcisi",
    "Pazarlama Uzmanı",
    "Muhasebe Uzmanı",
    "Operasyon Sorumlusu",
    "Müşteri Temsilcisi",
    "Stajyer",
  ],
  titles: ["Direktör", "Müdür", "Kıdemli Uzman", "Uzman", "Asistan", "Stajyer"],
  organizationUnits: ["Genel Müdürlük", "Teknoloji Grubu", "Ticari Grup", "Destek Birimleri"],
  subCompanies: ["Acme Yazılım Ltd. Şti.", "Acme Danışmanlık A.Ş."],
  builds: ["Levent A Blok", "Levent B Blok", "Ankara Hizmet Binası"],
  zones: [
    { name: "Ana Giriş Turnike", build: 0, branch: 0 },
    { name: "Ar-Ge Katı", build: 0, branch: 0 },
    { name: "Sunucu Odası", build: 1, branch: 0 },
    { name: "Yemekhane", build: 1, branch: 0 },
    { name: "Ankara Ofis Girişi", build: 2, branch: 1 },
  ],
  namedUsers: [
    {
      key: "ceo",
      email: "ahmet.ozturk@acme.example",
      password: "acme-ahmet-2026",
      firstName: "Ahmet",
      lastName: "Öztürk",
      gender: "man",
      department: "Yönetim",
      jobPosition: "Genel Müdür",
      title: "Direktör",
      manager: null,
      isActive: true,
      clientId: "100001",
    },
    {
      key: "admin",
      email: "admin@acme.example",
      password: "acme-admin-2026",
      firstName: "Zeynep",
      lastName: "Kaya",
      gender: "woman",
      department: "İnsan Kaynakları",
      jobPosition: "İnsan Kaynakları Müdürü",
      title: "Müdür",
      manager: "ceo",
      isActive: true,
      clientId: "100002",
    },
    {
      key: "mehmet",
      email: "mehmet@acme.example",
      password: "acme-mehmet-2026",
      firstName: "Mehmet",
      lastName: "Demir",
      gender: "man",
      department: "Yazılım Geliştirme",
      jobPosition: "Takım Lideri",
      title: "Müdür",
      manager: "ceo",
      isActive: true,
      clientId: "100003",
    },
    {
      key: "ayse",
      email: "ayse@acme.example",
      password: "acme-ayse-2026",
      firstName: "Ayşe",
      lastName: "Yılmaz",
      gender: "woman",
      department: "Yazılım Geliştirme",
      jobPosition: "Yazılım Geliştirici",
      title: "Uzman",
      manager: "mehmet",
      isActive: true,
      clientId: "100004",
    },
    {
      key: "inactive",
      email: "kemal.arslan@acme.example",
      password: "acme-kemal-2026",
      firstName: "Kemal",
      lastName: "Arslan",
      gender: "man",
      department: "Operasyon",
      jobPosition: "Operasyon Sorumlusu",
      title: "Uzman",
      manager: "ceo",
      isActive: false,
      clientId: "100005",
    },
  ],
};

/** The Globex company (the "other tenant" for isolation tests). */
export const GLOBEX: CompanySpec = {
  key: "globex",
  name: "Globex Lojistik A.Ş.",
  legalName: "Globex Lojistik ve Taşımacılık Anonim Şirketi",
  apiKey: "psg_cmp_sandbox_globex_00000000000000",
  emailDomain: "globex.example",
  userCount: 16,
  leaveCount: 28,
  clientIdBase: 200000,
  departments: ["Yönetim", "İnsan Kaynakları", "Depo", "Sevkiyat"],
  branches: [
    { title: "Gebze Lojistik Merkezi", code: "GBZ01", lat: "40.8028", lng: "29.4307", city: "Kocaeli" },
    { title: "Hadımköy Depo", code: "HDK01", lat: "41.1440", lng: "28.6210", city: "İstanbul" },
  ],
  jobPositions: ["Genel Müdür", "İK Uzmanı", "Depo Sorumlusu", "Forklift Operatörü", "Sevkiyat Uzmanı", "Şoför"],
  titles: ["Müdür", "Uzman", "Operatör"],
  organizationUnits: ["Merkez", "Saha Operasyonları"],
  subCompanies: ["Globex Filo Kiralama A.Ş."],
  builds: ["Gebze Ana Depo"],
  zones: [
    { name: "Depo Girişi", build: 0, branch: 0 },
    { name: "Yükleme Rampası", build: 0, branch: 0 },
  ],
  namedUsers: [
    {
      key: "john",
      email: "john@globex.example",
      password: "globex-john-2026",
      firstName: "John",
      lastName: "Smith",
      gender: "man",
      department: "Yönetim",
      jobPosition: "Genel Müdür",
      title: "Müdür",
      manager: null,
      isActive: true,
      clientId: "200001",
    },
    {
      key: "ali",
      email: "ali@globex.example",
      password: "globex-ali-2026",
      firstName: "Ali",
      lastName: "Koç",
      gender: "man",
      department: "Depo",
      jobPosition: "Depo Sorumlusu",
      title: "Uzman",
      manager: "john",
      isActive: true,
      clientId: "200002",
    },
  ],
};

/** Both companies, in seed order. */
export const SEED_COMPANIES: readonly CompanySpec[] = [ACME, GLOBEX];
