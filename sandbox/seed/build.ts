/**
 * Deterministic seed generator: builds every record of both sandbox companies
 * into a Store, with ids from a seeded PRNG (one stream per company and
 * table, so adding records to one table never shifts the ids of another).
 * The seed's "today" is SEED_TODAY; nothing here reads the clock.
 */
import { buildRecord } from "../columns";
import { hashPassword } from "../password";
import { Prng } from "../prng";
import type { Store } from "../store";
import { addDays, daysInclusive, endOfDay, formatTimestamp, isoWeekday, parseInstant, startOfDay } from "../time";
import type { Json, JsonObject, Rec, TableName } from "../types";
import { BANKS, CITIES, MEN_FIRST_NAMES, SURNAMES, WOMEN_FIRST_NAMES, asciiFold } from "./names";
import { SEED_COMPANIES, UNUSED_JOB_POSITION, type CompanySpec } from "./catalog";
import { text } from "../json";

/** Version of the seed; stored state of another version is discarded on load. */
export const SEED_VERSION = "2026-01-15.1";

/** The seed's "today" (company zone). */
export const SEED_TODAY = "2026-01-15";

const SEED_NOW_MS = Date.parse("2026-01-15T09:00:00+03:00");
const DAY_MS = 86_400_000;

/** Builds the whole seed into an empty store (records are loaded, not persisted). */
export async function seedStore(store: Store): Promise<void> {
  for (const spec of SEED_COMPANIES) await new CompanySeeder(spec, store).run();
}

interface LeaveTypeSpec {
  readonly title: string;
  readonly code: string;
  readonly kind: "paid" | "free";
  readonly hourly: boolean;
  readonly annual: boolean;
  readonly document: boolean;
  readonly period: string;
  readonly leaveDay: number | null;
  readonly gender: string | null;
  readonly weight: number;
}

const LEAVE_TYPES: readonly LeaveTypeSpec[] = [
  {
    title: "Yıllık İzin",
    code: "YI",
    kind: "paid",
    hourly: false,
    annual: true,
    document: false,
    period: "yearly",
    leaveDay: 14,
    gender: null,
    weight: 10,
  },
  {
    title: "Mazeret İzni",
    code: "MI",
    kind: "paid",
    hourly: false,
    annual: false,
    document: false,
    period: "yearly",
    leaveDay: 3,
    gender: null,
    weight: 3,
  },
  {
    title: "Hastalık İzni",
    code: "HI",
    kind: "paid",
    hourly: false,
    annual: false,
    document: true,
    period: "unlimited",
    leaveDay: null,
    gender: null,
    weight: 4,
  },
  {
    title: "Ücretsiz İzin",
    code: "UI",
    kind: "free",
    hourly: false,
    annual: false,
    document: false,
    period: "unlimited",
    leaveDay: null,
    gender: null,
    weight: 2,
  },
  {
    title: "Evlilik İzni",
    code: "EI",
    kind: "paid",
    hourly: false,
    annual: false,
    document: true,
    period: "unlimited",
    leaveDay: 3,
    gender: null,
    weight: 1,
  },
  {
    title: "Babalık İzni",
    code: "BI",
    kind: "paid",
    hourly: false,
    annual: false,
    document: true,
    period: "unlimited",
    leaveDay: 5,
    gender: "man",
    weight: 1,
  },
  {
    title: "Ölüm İzni",
    code: "OI",
    kind: "paid",
    hourly: false,
    annual: false,
    document: false,
    period: "unlimited",
    leaveDay: 3,
    gender: null,
    weight: 1,
  },
  {
    title: "Saatlik İzin",
    code: "SI",
    kind: "paid",
    hourly: true,
    annual: false,
    document: false,
    period: "monthly",
    leaveDay: null,
    gender: null,
    weight: 3,
  },
];

const LEAVE_REASONS = [
  "Aile ziyareti",
  "Tatil planı",
  "Doktor randevusu",
  "Resmi işlemler",
  "Taşınma",
  "Kişisel sebepler",
  "Çocuğumun okul toplantısı",
  "Dinlenme",
  "Düğün",
  "Grip, istirahat raporu",
];

interface ShiftSpec {
  readonly name: string;
  readonly code: string;
  readonly checkIn: string;
  readonly checkOut: string;
  readonly color: string;
  readonly holiday: boolean;
  readonly night: boolean;
}

const SHIFTS: readonly ShiftSpec[] = [
  { name: "Ofis 09:00-18:00", code: "09:00-18:00", checkIn: "09:00", checkOut: "18:00", color: "#1E88E5", holiday: false, night: false },
  { name: "Sabah 08:00-17:00", code: "08:00-17:00", checkIn: "08:00", checkOut: "17:00", color: "#43A047", holiday: false, night: false },
  { name: "Akşam 16:00-00:00", code: "16:00-00:00", checkIn: "16:00", checkOut: "00:00", color: "#FB8C00", holiday: false, night: true },
  { name: "Gece 00:00-08:00", code: "00:00-08:00", checkIn: "00:00", checkOut: "08:00", color: "#5E35B1", holiday: false, night: true },
  {
    name: "Hafta Sonu 10:00-16:00",
    code: "10:00-16:00",
    checkIn: "10:00",
    checkOut: "16:00",
    color: "#00ACC1",
    holiday: false,
    night: false,
  },
  { name: "Hafta Tatili", code: "HT", checkIn: "00:00", checkOut: "00:00", color: "#9E9E9E", holiday: true, night: false },
];

/** First and last working day of the seeded attendance window (shifts, payrolls, entrances). */
const WINDOW_START = "2026-01-05";
const WINDOW_DAYS = 12;

class CompanySeeder {
  readonly #spec: CompanySpec;
  readonly #store: Store;
  readonly #streams = new Map<string, Prng>();
  #company!: Rec;
  readonly #users: Rec[] = [];
  readonly #named = new Map<string, Rec>();
  readonly #byName = new Map<string, Map<string, Rec>>();
  readonly #shifts: Rec[] = [];
  readonly #leaveTypes = new Map<string, Rec>();
  readonly #flows = new Map<string, Rec>();

  constructor(spec: CompanySpec, store: Store) {
    this.#spec = spec;
    this.#store = store;
  }

  /** A PRNG stream of this company for a topic. */
  #rng(topic: string): Prng {
    let r = this.#streams.get(topic);
    if (!r) {
      r = new Prng(`${this.#spec.key}:${topic}`);
      this.#streams.set(topic, r);
    }
    return r;
  }

  /** A timestamp some days before the seed's now, with a random time of day. */
  #ago(days: number, topic = "time"): string {
    const r = this.#rng(topic);
    return formatTimestamp(SEED_NOW_MS - days * DAY_MS - r.int(0, 8 * 3600_000));
  }

  #add(table: TableName, fields: JsonObject, createdAt?: string, updatedAt?: string): Rec {
    const created = createdAt ?? this.#ago(this.#rng(`age:${table}`).int(60, 900), `time:${table}`);
    const rec = buildRecord(
      table,
      { id: this.#rng(`id:${table}`).uuid(), company_id: this.#company.id, created_at: created, updated_at: updatedAt ?? created },
      fields,
    );
    this.#store.load(table, rec);
    const name = typeof fields.name === "string" ? fields.name : typeof fields.title === "string" ? fields.title : null;
    if (name !== null) {
      const map = this.#byName.get(table) ?? new Map<string, Rec>();
      if (!map.has(name)) map.set(name, rec);
      this.#byName.set(table, map);
    }
    return rec;
  }

  #find(table: TableName, name: string): Rec {
    const rec = this.#byName.get(table)?.get(name);
    if (!rec) throw new Error(`seed: no ${table} named ${name}`);
    return rec;
  }

  async run(): Promise<void> {
    const spec = this.#spec;
    const companyId = new Prng(`company:${spec.key}`).uuid();
    this.#company = buildRecord(
      "companies",
      { id: companyId, company_id: companyId, created_at: formatTimestamp(SEED_NOW_MS - 1200 * DAY_MS) },
      { name: spec.name, legal_name: spec.legalName, api_key: spec.apiKey },
    );
    this.#store.load("companies", this.#company);
    this.#organisation();
    this.#attendanceSetup();
    this.#leaveSetup();
    await this.#people();
    this.#approvalFlows();
    this.#leaves();
    this.#cards();
    this.#userShifts();
    this.#payrollsAndEntrances();
    this.#extraWorks();
    this.#assignments();
    this.#goalsAndRates();
    this.#balanceImports();
  }

  #organisation(): void {
    const spec = this.#spec;
    spec.departments.forEach((name, i) =>
      this.#add("departments", { name, description: `${name} departmanı`, client_id: `D${String(i + 1).padStart(3, "0")}` }),
    );
    spec.branches.forEach((b) =>
      this.#add("branches", {
        title: b.title,
        description: `${b.city} lokasyonu`,
        client_id: b.code,
        latitude: b.lat,
        longitude: b.lng,
      }),
    );
    const branchIds = (from: number, to: number): Json[] => spec.branches.slice(from, to).map((b) => this.#find("branches", b.title).id);
    this.#add("branch_groups", {
      title: spec.key === "acme" ? "Marmara Bölgesi" : "Lojistik Merkezleri",
      description: "",
      client_id: "BG01",
      branch_ids: branchIds(0, 2),
    });
    this.#add("branch_groups", {
      title: spec.key === "acme" ? "İç Anadolu ve Ege" : "Tüm Depolar",
      description: "",
      client_id: "BG02",
      branch_ids: branchIds(1, 4),
    });
    spec.builds.forEach((name) => this.#add("builds", { name, description: `${name} binası` }));
    spec.zones.forEach((z, i) => {
      const build = spec.builds[z.build];
      const branch = spec.branches[z.branch];
      this.#add("zones", {
        name: z.name,
        description: "",
        build_id: build === undefined ? null : this.#find("builds", build).id,
        branch_id: branch === undefined ? null : this.#find("branches", branch.title).id,
        client_id: `Z${String(i + 1).padStart(2, "0")}`,
        group_no: i + 1,
      });
    });
    [...spec.jobPositions, UNUSED_JOB_POSITION].forEach((name, i) =>
      this.#add("job_positions", {
        name,
        description: null,
        client_id: `JP${String(i + 1).padStart(3, "0")}`,
        include_in_rate: i % 3 === 0,
      }),
    );
    spec.titles.forEach((name, i) => this.#add("titles", { name, description: null, is_active: true, client_id: `T${i + 1}` }));
    spec.organizationUnits.forEach((name, i) =>
      this.#add("organization_units", { name, description: `${name} birimi`, client_id: `OU${i + 1}` }),
    );
    spec.subCompanies.forEach((name, i) =>
      this.#add("sub_companies", {
        name,
        legal_name: name,
        email: `info${i + 1}@${spec.emailDomain}`,
        tax_number: this.#rng("tax").digits(10),
        tax_office: "Beşiktaş",
        website: `https://${spec.emailDomain}`,
        client_id: `SC${i + 1}`,
        major_color: "#1E88E5",
        minor_color: "#FFFFFF",
      }),
    );
    this.#add("user_groups", { name: "Beyaz Yaka", description: "Ofis çalışanları" });
    this.#add("user_groups", { name: "Mavi Yaka", description: "Saha çalışanları" });
    this.#add("holiday_calendars", { title: "2026 Resmi Tatil Takvimi", description: "Ulusal bayram ve genel tatiller" });
    this.#add("holiday_calendars", { title: "2025 Resmi Tatil Takvimi", description: "Ulusal bayram ve genel tatiller", is_active: false });
    const devices: [string, string, string, number][] = [
      ["Ana Giriş Turnike Giriş", "check_in", "card_scanner", 0],
      ["Ana Giriş Turnike Çıkış", "check_out", "card_scanner", 0],
      ["Yemekhane QR Okuyucu", "bidirectional", "qr_scanner", spec.zones.length > 3 ? 3 : 0],
      ["Sunucu Odası Kart Okuyucu", "bidirectional", "nfc_scanner", spec.zones.length > 2 ? 2 : 1],
    ];
    const zones = this.#store.ofCompany("zones", this.#company.id);
    devices.forEach(([suffix, direction, type, zoneIndex], i) => {
      const zone = zones[zoneIndex] ?? zones[0];
      this.#add("devices", {
        name: `${spec.branches[0]?.title ?? ""} ${suffix}`,
        description: "",
        client_id: `DV${String(i + 1).padStart(3, "0")}`,
        latitude: Number(spec.branches[0]?.lat ?? 0),
        longitude: Number(spec.branches[0]?.lng ?? 0),
        serial_number: this.#rng("serial").digits(6),
        qr_code_id: type === "qr_scanner" ? this.#rng("qr").uuid() : null,
        direction,
        device_type: type,
        device_brand: type === "qr_scanner" ? "passgage_qr" : "passgage",
        range: "50",
        range_matter: "1",
        port: type === "qr_scanner" ? null : 65000,
        external_ip: `10.${spec.key === "acme" ? 10 : 20}.0.${i + 11}`,
        zone_ids: zone ? [zone.id] : [],
        device_usage: i === 2 ? "free_access" : "pdks",
        build_id: zone ? (zone.build_id ?? null) : null,
        relay: i % 2 === 0 ? "r1" : "r2",
        is_main_device: i === 0,
        is_dining_hall: i === 2,
      });
    });
  }

  #attendanceSetup(): void {
    const ewts = [
      this.#add("extra_work_types", { name: "Fazla Mesai", multiplier: 1.5 }),
      this.#add("extra_work_types", { name: "Hafta Sonu Mesaisi", multiplier: 2 }),
      this.#add("extra_work_types", { name: "Resmi Tatil Mesaisi", multiplier: 2, is_active: true }),
    ];
    for (const s of SHIFTS) {
      const shift = this.#add("shifts", {
        name: s.name,
        code: s.code,
        check_in_time: s.checkIn,
        check_out_time: s.checkOut,
        color_code: s.color,
        early_check_in: 15,
        early_check_out: 15,
        late_check_in: 15,
        late_check_out: 15,
        is_holiday: s.holiday,
        is_saturday_work: s.name.startsWith("Hafta Sonu"),
        extra_work_type_id: ewts[0]?.id ?? null,
        holiday_extra_work_type_id: ewts[2]?.id ?? null,
      });
      this.#shifts.push(shift);
      if (s.holiday) continue;
      this.#add("slacks", {
        shift_id: shift.id,
        title: "Öğle Arası",
        description: "",
        slack_type: "time_range",
        starting_time: s.night ? "04:00" : "12:30",
        end_time: s.night ? "04:30" : "13:30",
        is_active: true,
      });
      this.#add("slacks", {
        shift_id: shift.id,
        title: "Çay Molası",
        description: "",
        slack_type: "time_duration",
        duration: 15,
        is_active: true,
      });
      if (s.night) {
        this.#add("night_works", {
          shift_id: shift.id,
          start_time: s.checkIn === "16:00" ? "20:00" : "00:00",
          end_time: s.checkIn === "16:00" ? "00:00" : "06:00",
          work_type: "night_work",
          minutes: s.checkIn === "16:00" ? 240 : 360,
        });
        this.#add("night_works", { shift_id: shift.id, start_time: "06:00", end_time: "08:00", work_type: "extra_time", minutes: 120 });
      }
    }
    const office = this.#shifts[0]?.id ?? "";
    const morning = this.#shifts[1]?.id ?? "";
    const off = this.#shifts[5]?.id ?? "";
    this.#add("working_days", {
      name: "Merkez Çalışma Takvimi",
      description: "Hafta içi ofis, hafta sonu tatil",
      week_day_1: ["", office],
      week_day_2: ["", office],
      week_day_3: ["", office],
      week_day_4: ["", office],
      week_day_5: ["", office],
      week_day_6: ["", off],
      week_day_7: ["", off],
      client_id: "WD01",
    });
    this.#add("working_days", {
      name: "Vardiyalı Çalışma Takvimi",
      description: "Sabah vardiyası, cumartesi yarım gün",
      friday_double: false,
      friday_double_if_single: false,
      week_day_1: ["", morning],
      week_day_2: ["", morning],
      week_day_3: ["", morning],
      week_day_4: ["", morning],
      week_day_5: ["", morning],
      week_day_6: ["", this.#shifts[4]?.id ?? ""],
      week_day_7: ["", off],
      client_id: "WD02",
    });
    this.#add("shift_settings", {
      payroll_balanced_at: formatTimestamp(Date.parse("2026-01-01T00:00:00+03:00")),
      timesheet_rounds: [
        { id: this.#rng("id:timesheet_rounds").uuid(), round_type: "overtime", round_minutes: 15 },
        { id: this.#rng("id:timesheet_rounds").uuid(), round_type: "missing_hours", round_minutes: 15 },
      ],
      rotation_day_limitation: this.#spec.key === "acme" ? 30 : 60,
    });
  }

  #leaveSetup(): void {
    const main = this.#add("leave_rules", { title: "Türk İş Kanunu", description: "4857 sayılı İş Kanunu izin hakları" });
    this.#add("leave_rules", { title: "Yönetici İzin Kuralları", description: "Üst düzey yöneticiler için ek izin hakları" });
    const department = this.#store.ofCompany("departments", this.#company.id)[0];
    LEAVE_TYPES.forEach((t, i) => {
      const rec = this.#add("leave_types", {
        title: t.title,
        description: `${t.title} (${t.kind === "paid" ? "ücretli" : "ücretsiz"})`,
        leave_type: t.kind,
        leave_rule_id: main.id,
        limit: t.leaveDay,
        leave_day: t.leaveDay,
        is_request_hourly: t.hourly,
        is_annual_leave: t.annual,
        is_annual_leave_reset: t.annual,
        is_document_required: t.document,
        period_type: t.period,
        gender_type: t.gender,
        is_negative_balance: t.annual,
        limit_min: t.hourly ? 1 : 0,
        is_working_saturday: false,
        is_add_week_break: t.annual,
        is_include_friday: true,
        client_id: `LT${String(i + 1).padStart(2, "0")}`,
        code: t.code,
        short_code: t.code.charAt(0),
      });
      if (t.annual && department) {
        rec.leave_type_users = [
          {
            company_id: this.#company.id,
            leave_type_id: rec.id,
            segmentation_type: "Department",
            segmentation_id: department.id,
            segmentation: {
              id: department.id,
              name: department.name ?? "",
              users_count: 0,
              is_active: true,
              client_id: department.client_id ?? null,
              created_at: department.created_at ?? null,
              updated_at: department.updated_at ?? null,
            },
            created_at: rec.created_at ?? null,
            updated_at: rec.updated_at ?? null,
            segmentation_gid: `gid://andromeda/Department/${department.id}`,
          },
        ];
        rec.leave_type_extra_days = [
          {
            leave_type_id: rec.id,
            extra_type: "equal",
            extra_days: 6,
            company_id: this.#company.id,
            min: 5,
            max: 15,
            created_at: rec.created_at ?? null,
            updated_at: rec.updated_at ?? null,
          },
        ];
        rec.leave_type_age_extra_days = [
          {
            company_id: this.#company.id,
            leave_type_id: rec.id,
            extra_type: "equal",
            extra_days: 6,
            min: 50,
            max: 99,
            created_at: rec.created_at ?? null,
            updated_at: rec.updated_at ?? null,
          },
        ];
      }
      this.#leaveTypes.set(t.title, rec);
    });
  }

  async #people(): Promise<void> {
    const spec = this.#spec;
    const r = this.#rng("people");
    const usedEmails = new Set<string>();
    const rule = this.#find("leave_rules", "Türk İş Kanunu");
    const calendar = this.#find("holiday_calendars", "2026 Resmi Tatil Takvimi");
    const workingDays = this.#store.ofCompany("working_days", this.#company.id);
    const subCompanies = this.#store.ofCompany("sub_companies", this.#company.id);
    const orgUnits = this.#store.ofCompany("organization_units", this.#company.id);
    const zones = this.#store.ofCompany("zones", this.#company.id);
    const devices = this.#store.ofCompany("devices", this.#company.id);
    const groups = this.#store.ofCompany("user_groups", this.#company.id);

    const makeUser = async (u: {
      firstName: string;
      lastName: string;
      gender: "man" | "woman";
      email: string;
      password: string | null;
      department: string;
      jobPosition: string;
      title: string;
      clientId: string;
      isActive: boolean;
      branchIndex: number;
      activation?: string;
    }): Promise<Rec> => {
      const branch = spec.branches[u.branchIndex] ?? spec.branches[0];
      const branchRec = branch ? this.#find("branches", branch.title) : undefined;
      const year = r.int(1972, 2003);
      const drawn = addDays("2016-01-04", r.int(0, 3400));
      // Named users get fixed, early hire dates (user shifts may not precede them).
      const activation = u.activation ?? drawn;
      const city = r.pick(CITIES);
      const username = asciiFold(`${u.firstName}_${u.lastName}`).replace(/\s+/g, "_");
      const wd = workingDays[r.int(0, Math.max(0, workingDays.length - 1))];
      const officeShift = wd && Array.isArray(wd.week_day_1) ? wd.week_day_1[1] : null;
      const rec = this.#add(
        "users",
        {
          email: u.email,
          password_hash: u.password === null ? null : await hashPassword(u.password),
          first_name: u.firstName,
          last_name: u.lastName,
          username,
          gsm: `5${r.pick(["32", "33", "35", "42", "44", "05", "06", "53", "54", "55"])}${r.digits(7)}`,
          other_gsm: null,
          about: null,
          citizenship_number: `${r.int(1, 9)}${r.digits(9)}${r.pick(["0", "2", "4", "6", "8"])}`,
          gender: u.gender,
          birth_date: `${year}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`,
          nationality: "TC",
          marital_status: r.pick(["married", "single", ""]),
          number_of_children: String(r.int(0, 3)),
          spouses_employment_status: "",
          disability_level: "",
          is_active: u.isActive,
          activation_date: activation,
          expired_date: u.isActive ? null : "2025-06-30",
          reason_for_leave_id: null,
          client_id: u.clientId,
          employee_id: u.clientId,
          employee_type: null,
          job_position_id: this.#find("job_positions", u.jobPosition).id,
          department_id: this.#find("departments", u.department).id,
          branch_id: branchRec?.id ?? null,
          sub_company_id: r.chance(0.3) ? r.pick(subCompanies).id : null,
          organization_unit_id: orgUnits.length > 0 ? r.pick(orgUnits).id : null,
          title_id: this.#find("titles", u.title).id,
          user_group_id: groups.length > 0 ? r.pick(groups).id : null,
          shift_id: typeof officeShift === "string" ? officeShift : null,
          working_day_id: wd?.id ?? null,
          holiday_calendar_id: calendar.id,
          leave_rule_id: rule.id,
          device_ids: devices.slice(0, 2).map((d) => d.id),
          zone_ids: zones.length > 0 ? [r.pick(zones).id] : [],
          leave_balance: `${r.int(0, 20)}.0`,
          leave_balanced_at: startOfDay("2026-01-01"),
          type_of_work: r.chance(0.9) ? "full_time" : "part_time",
          calculation_type: "monthly",
          can_take_overtime: r.pick(["yes", "no", ""]),
          shift_module: r.pick(["pacs", "webshift", ""]),
          educational_status: r.pick(["primary", "secondary", ""]),
          graduation_level: r.pick(["Lisans", "Yüksek Lisans", "Lise", "Ön Lisans"]),
          graduation_school: r.pick([
            "İstanbul Teknik Üniversitesi",
            "Ankara Üniversitesi",
            "Ege Üniversitesi",
            "Boğaziçi Üniversitesi",
            "Anadolu Lisesi",
          ]),
          faculty_name: null,
          university_department: null,
          bank_name: r.pick(BANKS),
          account_type: "vadesiz",
          account_number: r.digits(10),
          iban: `TR${r.digits(2)}0006${r.digits(16)}`,
          emergency_contact_person: `${r.pick(u.gender === "man" ? WOMEN_FIRST_NAMES : MEN_FIRST_NAMES)} ${u.lastName}`,
          emergency_person_proximity_degree: "Eş",
          emergency_contact_phone: `5${r.digits(9)}`,
          address: `${r.pick(["Atatürk", "Cumhuriyet", "İnönü", "Gazi", "Fatih"])} Mah. No:${r.int(1, 120)}`,
          city,
          country: "Türkiye",
          postal_code: `${r.int(10, 81)}${r.digits(3)}`,
          workplace_code: branch?.code ?? null,
        },
        formatTimestamp(Date.parse(`${activation}T09:00:00+03:00`) + r.int(0, 3600_000)),
      );
      this.#users.push(rec);
      return rec;
    };

    for (const n of spec.namedUsers) {
      const rec = await makeUser({
        firstName: n.firstName,
        lastName: n.lastName,
        gender: n.gender,
        email: n.email,
        password: n.password,
        department: n.department,
        jobPosition: n.jobPosition,
        title: n.title,
        clientId: n.clientId,
        isActive: n.isActive,
        branchIndex: 0,
        activation: addDays("2016-01-04", 200 * spec.namedUsers.indexOf(n)),
      });
      usedEmails.add(n.email);
      this.#named.set(n.key, rec);
    }
    // Remaining users: departments round-robin (the first named user's department excluded).
    const depts = spec.departments.slice(1);
    const positionsFor = (dept: string): string[] => {
      const all = spec.jobPositions;
      const picks: Record<string, string[]> = {
        "İnsan Kaynakları": ["İnsan Kaynakları Uzmanı", "İK Uzmanı"],
        "Yazılım Geliştirme": ["Yazılım Geliştirici", "Kıdemli Yazılım Geliştirici", "Stajyer"],
        Satış: ["Satış Temsilcisi"],
        Pazarlama: ["Pazarlama Uzmanı"],
        Muhasebe: ["Muhasebe Uzmanı"],
        Operasyon: ["Operasyon Sorumlusu"],
        "Müşteri Hizmetleri": ["Müşteri Temsilcisi"],
        Depo: ["Depo Sorumlusu", "Forklift Operatörü"],
        Sevkiyat: ["Sevkiyat Uzmanı", "Şoför"],
      };
      const list = (picks[dept] ?? []).filter((p) => all.includes(p));
      return list.length > 0 ? list : [all[all.length - 1] ?? ""];
    };
    let clientSeq = spec.clientIdBase + spec.namedUsers.length + 1;
    for (let i = this.#users.length; i < spec.userCount; i++) {
      const gender = r.chance(0.5) ? "woman" : "man";
      const first = r.pick(gender === "woman" ? WOMEN_FIRST_NAMES : MEN_FIRST_NAMES);
      const last = r.pick(SURNAMES);
      let email = `${asciiFold(first)}.${asciiFold(last)}@${spec.emailDomain}`.replace(/\s+/g, "");
      for (let k = 2; usedEmails.has(email); k++) email = `${asciiFold(first)}.${asciiFold(last)}${k}@${spec.emailDomain}`;
      usedEmails.add(email);
      const dept = depts[i % depts.length] ?? spec.departments[0] ?? "";
      const titles = spec.titles.filter((t) => t !== "Direktör" && t !== "Müdür");
      await makeUser({
        firstName: first,
        lastName: last,
        gender,
        email,
        password: null,
        department: dept,
        jobPosition: r.pick(positionsFor(dept)),
        title: titles.length > 0 ? r.pick(titles) : (spec.titles[0] ?? ""),
        clientId: String(clientSeq++),
        isActive: true,
        branchIndex: r.chance(0.6) ? 0 : r.int(0, spec.branches.length - 1),
      });
    }
    // Managers: named managers first; then the first user of each department manages the rest of it.
    const deptManager = new Map<string, Rec>();
    for (const n of spec.namedUsers) {
      const rec = this.#named.get(n.key);
      if (!rec) continue;
      if (n.manager !== null) {
        const parent = this.#named.get(n.manager);
        if (parent) rec.parent_id = parent.id;
        if (parent) rec.supervisor_registration_number = parent.client_id ?? null;
      }
    }
    const teamLead = this.#named.get("mehmet") ?? null;
    const top = this.#named.get(spec.namedUsers[0]?.key ?? "") ?? null;
    for (const u of this.#users) {
      if (this.#isNamed(u)) {
        if (typeof u.department_id === "string" && !deptManager.has(u.department_id) && u !== top && u.is_active === true) {
          deptManager.set(u.department_id, u);
        }
        continue;
      }
      const dept = typeof u.department_id === "string" ? u.department_id : "";
      let manager = deptManager.get(dept);
      if (teamLead && teamLead.department_id === dept) manager = teamLead;
      if (!manager) {
        deptManager.set(dept, u);
        manager = top ?? undefined;
      }
      if (manager && manager !== u) {
        u.parent_id = manager.id;
        u.supervisor_registration_number = manager.client_id ?? null;
      }
    }
  }

  #isNamed(u: Rec): boolean {
    for (const rec of this.#named.values()) if (rec === u) return true;
    return false;
  }

  /** The HR approver of the company (the "admin" named user, else the first one). */
  #hr(): Rec {
    const hr = this.#named.get("admin") ?? this.#named.get(this.#spec.namedUsers[0]?.key ?? "");
    if (!hr) throw new Error("seed: no HR user");
    return hr;
  }

  #approvalFlows(): void {
    const hr = this.#hr();
    const top = this.#named.get(this.#spec.namedUsers[0]?.key ?? "") ?? hr;
    const flowUser = (u: Rec, seq: number): Json => ({
      id: this.#rng("id:approval_flow_users").uuid(),
      user_id: u.id,
      seq,
      is_require: true,
    });
    this.#flows.set(
      "leave_approval",
      this.#add("approval_flows", {
        title: "İzin Onay Akışı",
        flow_type: "leave_approval",
        is_main_flow: true,
        use_hierarchy: true,
        hierarchy_level: 1,
        approval_flow_users: [flowUser(hr, 2)],
      }),
    );
    this.#flows.set(
      "extra_work_approval",
      this.#add("approval_flows", {
        title: "Fazla Mesai Onay Akışı",
        flow_type: "extra_work_approval",
        is_main_flow: true,
        use_hierarchy: true,
        hierarchy_level: 1,
        approval_flow_users: [],
      }),
    );
    this.#flows.set(
      "assignment_request_approval",
      this.#add("approval_flows", {
        title: "Görevlendirme Onay Akışı",
        flow_type: "assignment_request_approval",
        is_main_flow: true,
        use_hierarchy: false,
        hierarchy_level: 1,
        approval_flow_users: [flowUser(top, 1), flowUser(hr, 2)],
      }),
    );
    const dept = this.#store.ofCompany("departments", this.#company.id)[this.#spec.key === "acme" ? 2 : 2];
    if (dept) {
      this.#add("approval_flows", {
        title: `${text(dept.name)} İzin Akışı`,
        flow_type: "leave_approval",
        is_main_flow: false,
        use_hierarchy: true,
        hierarchy_level: 2,
        department_ids: [dept.id],
        approval_flow_users: [flowUser(hr, 3)],
      });
    }
    this.#add("approval_flows", {
      title: "Masraf Onay Akışı",
      flow_type: "expense_approval",
      is_active: false,
      approval_flow_users: [flowUser(hr, 1)],
    });
  }

  /** Approvers of a user's requests: the manager, then HR (never the user themself). */
  #approvers(user: Rec): Rec[] {
    const list: Rec[] = [];
    const manager = this.#store.get("users", typeof user.parent_id === "string" ? user.parent_id : null);
    if (manager) list.push(manager);
    const hr = this.#hr();
    if (hr !== user && !list.includes(hr)) list.push(hr);
    if (list.length === 0) {
      const top = this.#named.get(this.#spec.namedUsers[0]?.key ?? "");
      if (top && top !== user) list.push(top);
    }
    return list;
  }

  /**
   * Adds an approval for a record. `outcome`: "pending" (nobody acted),
   * "in_progress" (first approver approved), "approved", "rejected".
   */
  #approval(type: string, record: Rec, user: Rec, flowType: string, outcome: "pending" | "in_progress" | "approved" | "rejected"): void {
    const approvers = this.#approvers(user);
    const created = typeof record.created_at === "string" ? record.created_at : this.#ago(30);
    const acted = formatTimestamp((parseInstant(created) ?? SEED_NOW_MS) + 5 * 3600_000);
    const users: Json[] = approvers.map((a, i) => {
      let status = "pending";
      let comment: string | null = null;
      if (outcome === "approved") {
        status = "approved";
        comment = i === 0 ? "Uygundur." : "Onaylandı.";
      } else if (outcome === "in_progress" && i === 0) {
        status = "approved";
        comment = "Uygundur.";
      } else if (outcome === "rejected" && i === approvers.length - 1) {
        status = "rejected";
        comment = "Bu tarihlerde ekipte yeterli kişi yok.";
      } else if (outcome === "rejected") {
        status = "approved";
      }
      return {
        id: this.#rng("id:approval_users").uuid(),
        user_id: a.id,
        status,
        comment,
        seq: i + 1,
        is_require: true,
        created_at: created,
        updated_at: status === "pending" ? created : acted,
      };
    });
    const doneSteps =
      outcome === "approved" ? approvers.length : outcome === "in_progress" ? 1 : outcome === "rejected" ? approvers.length : 0;
    this.#add(
      "approvals",
      {
        status: outcome,
        approvable_type: type,
        approvable_id: record.id,
        current_step: Math.min(doneSteps + 1, Math.max(approvers.length, 1)),
        total_steps: Math.max(approvers.length, 1),
        approval_flow_id: this.#flows.get(flowType)?.id ?? null,
        requester_id: user.id,
        approval_users: users,
      },
      created,
      outcome === "pending" ? created : acted,
    );
  }

  #leave(
    user: Rec,
    typeTitle: string,
    start: string,
    end: string,
    status: string,
    opts: { hourly?: [string, string]; reason?: string; outcome?: "pending" } = {},
  ): Rec {
    const r = this.#rng("leaves");
    const type = this.#leaveTypes.get(typeTitle);
    if (!type) throw new Error(`seed: leave type ${typeTitle}`);
    const hourly = opts.hourly;
    const days = daysInclusive(start, end);
    const createdMs = (parseInstant(start) ?? SEED_NOW_MS) - r.int(7, 40) * DAY_MS;
    const created = formatTimestamp(Math.min(createdMs, SEED_NOW_MS - DAY_MS));
    const decided = ["approved", "rejected", "finished", "approaching", "hr_rejection", "hr_approval", "leave_canceled"].includes(status);
    const manager = this.#store.get("users", typeof user.parent_id === "string" ? user.parent_id : null);
    const hr = this.#hr();
    const seq = this.#store.ofCompany("leaves", this.#company.id).length + 1;
    const rec = this.#add(
      "leaves",
      {
        title: typeTitle,
        description: opts.reason ?? r.pick(LEAVE_REASONS),
        user_id: user.id,
        leave_type_id: type.id,
        start_date: hourly ? `${start}T${hourly[0]}:00.000+03:00` : startOfDay(start),
        end_date: hourly ? `${end}T${hourly[1]}:00.000+03:00` : endOfDay(end),
        days_off_count: hourly ? Number(hourly[1].slice(0, 2)) - Number(hourly[0].slice(0, 2)) : days * 24,
        status,
        is_signed: decided && r.chance(0.5),
        is_hourly_leave: hourly !== undefined,
        date_of_return: hourly ? null : nextWorkday(addDays(end, 1)),
        manager_id: decided && manager ? manager.id : null,
        manager_comment: decided && manager ? (status === "rejected" ? "Proje teslim tarihiyle çakışıyor." : "Uygundur.") : null,
        hr_id: decided ? hr.id : null,
        hr_comment: status === "hr_rejection" ? "Bakiye yetersiz." : null,
        signed_date: null,
        reason_for_rejection: status === "rejected" || status === "hr_rejection" ? "Ekip planlaması nedeniyle uygun değil." : null,
        is_approved_by_manager: ["approved", "finished", "approaching", "hr_rejection", "hr_approval"].includes(status),
        is_approved_by_hr: ["approved", "finished", "approaching"].includes(status),
        working_days: hourly ? null : workdays(start, end),
        holiday_days: hourly ? null : days - workdays(start, end),
        total_days: hourly ? null : days,
        fin_year: start.slice(0, 4),
        client_id: null,
        tracking_number: `IZN-${start.slice(0, 4)}-${String(seq).padStart(5, "0")}`,
        file_urls: type.is_document_required === true ? [`https://storage.passgage.example/leaves/${this.#spec.key}/${seq}/belge.pdf`] : [],
      },
      created,
      formatTimestamp((parseInstant(created) ?? SEED_NOW_MS) + (decided ? 26 * 3600_000 : 0)),
    );
    const outcome = opts.outcome ?? approvalOutcome(status, r);
    if (outcome !== null) this.#approval("Leave", rec, user, "leave_approval", outcome);
    return rec;
  }

  #leaves(): void {
    const named = (k: string): Rec | undefined => this.#named.get(k);
    const busy = new Map<string, [string, string][]>();
    const mark = (u: Rec, s: string, e: string): void => {
      const list = busy.get(u.id) ?? [];
      list.push([s, e]);
      busy.set(u.id, list);
    };
    const free = (u: Rec, s: string, e: string): boolean => (busy.get(u.id) ?? []).every(([a, b]) => e < a || s > b);
    const fixed: [string, string, string, string, string, [string, string]?][] = [];
    if (this.#spec.key === "acme") {
      fixed.push(
        ["ayse", "Yıllık İzin", "2025-07-14", "2025-07-18", "approved"],
        ["ayse", "Mazeret İzni", "2025-04-10", "2025-04-10", "finished"],
        ["ayse", "Ücretsiz İzin", "2025-09-01", "2025-09-02", "leave_canceled"],
        ["ayse", "Yıllık İzin", "2025-12-22", "2025-12-26", "rejected"],
        ["ayse", "Yıllık İzin", "2026-01-26", "2026-01-27", "approaching"],
        ["ayse", "Saatlik İzin", "2026-01-23", "2026-01-23", "awaiting_approval", ["14:00", "17:00"]],
        ["ayse", "Yıllık İzin", "2026-02-16", "2026-02-20", "awaiting_approval"],
        ["mehmet", "Yıllık İzin", "2025-08-04", "2025-08-15", "approved"],
        ["mehmet", "Hastalık İzni", "2025-11-03", "2025-11-04", "approved"],
        ["mehmet", "Yıllık İzin", "2026-03-09", "2026-03-13", "awaiting_approval"],
        ["admin", "Yıllık İzin", "2025-06-16", "2025-06-20", "approved"],
        ["admin", "Mazeret İzni", "2026-02-02", "2026-02-02", "awaiting_approval"],
        ["ceo", "Yıllık İzin", "2025-08-18", "2025-08-29", "approved"],
        ["inactive", "Yıllık İzin", "2025-05-05", "2025-05-09", "finished"],
      );
    } else {
      fixed.push(
        ["john", "Yıllık İzin", "2025-07-07", "2025-07-11", "approved"],
        ["john", "Yıllık İzin", "2026-02-09", "2026-02-10", "awaiting_approval"],
        ["ali", "Hastalık İzni", "2025-10-13", "2025-10-14", "approved"],
        ["ali", "Yıllık İzin", "2026-03-02", "2026-03-06", "awaiting_approval"],
      );
    }
    for (const [key, type, s, e, status, hourly] of fixed) {
      const u = named(key);
      if (!u) continue;
      // Fixed awaiting leaves wait on their first approver (Ayşe's on Mehmet).
      const outcome = status === "awaiting_approval" ? ("pending" as const) : undefined;
      this.#leave(u, type, s, e, status, { ...(hourly ? { hourly } : {}), ...(outcome ? { outcome } : {}) });
      mark(u, s, e);
    }
    // Random leaves for everyone else (and a few more for named ones), never overlapping per user.
    const r = this.#rng("random-leaves");
    const candidates = this.#users.filter((u) => u.is_active === true && !["ayse"].some((k) => named(k) === u));
    const typePool: string[] = [];
    for (const t of LEAVE_TYPES) for (let i = 0; i < t.weight; i++) typePool.push(t.title);
    let guard = 0;
    while (this.#store.ofCompany("leaves", this.#company.id).length < this.#spec.leaveCount && guard++ < 5000) {
      const u = r.pick(candidates);
      let typeTitle = r.pick(typePool);
      const type = LEAVE_TYPES.find((t) => t.title === typeTitle);
      if (type?.gender && type.gender !== u.gender) typeTitle = "Yıllık İzin";
      const start = nextWorkday(addDays("2025-02-01", r.int(0, 440)));
      const hourly = typeTitle === "Saatlik İzin";
      const len = hourly ? 1 : typeTitle === "Yıllık İzin" ? r.int(1, 10) : r.int(1, 3);
      const end = addDays(start, len - 1);
      if (!free(u, start, end)) continue;
      const past = end < SEED_TODAY;
      const status = past
        ? r.pick(["approved", "approved", "approved", "finished", "finished", "rejected", "leave_canceled", "hr_rejection"])
        : r.pick([
            "awaiting_approval",
            "awaiting_approval",
            "approved",
            "approaching",
            "on_administrator_approval",
            "document_delivery_awaiting",
            "hr_approval",
          ]);
      const h = r.int(9, 14);
      this.#leave(
        u,
        typeTitle,
        start,
        end,
        status,
        hourly ? { hourly: [`${h}:00`.padStart(5, "0"), `${h + r.int(1, 3)}:00`.padStart(5, "0")] } : {},
      );
      mark(u, start, end);
    }
  }

  #cards(): void {
    const r = this.#rng("cards");
    const zones = this.#store.ofCompany("zones", this.#company.id);
    this.#users.forEach((u, i) => {
      if (i % 4 === 3) return;
      this.#add("cards", {
        card_no: `${this.#spec.key === "acme" ? "10" : "20"}${r.digits(8)}`,
        user_id: u.id,
        zone_id: zones.length > 0 ? r.pick(zones).id : null,
        title: `${text(u.first_name)} ${text(u.last_name)} Personel Kartı`,
        is_active: u.is_active === true,
        client_id: "",
        status: null,
        activation_date: null,
        cancellation_date: u.is_active === true ? null : "2025-06-30",
      });
    });
  }

  /** Users who have attendance data (shifts, payrolls, entrances): named users first. */
  #attendanceUsers(): Rec[] {
    const count = this.#spec.key === "acme" ? 24 : 8;
    return this.#users.filter((u) => u.is_active === true).slice(0, count);
  }

  #userShifts(): void {
    const r = this.#rng("user_shifts");
    for (const u of this.#attendanceUsers()) {
      for (let d = 0; d < WINDOW_DAYS; d++) {
        const date = addDays(WINDOW_START, d);
        const weekend = isoWeekday(date) >= 6;
        const shift = weekend
          ? this.#shifts[5]
          : (this.#store.get("shifts", typeof u.shift_id === "string" ? u.shift_id : null) ?? this.#shifts[0]);
        if (!shift) continue;
        const past = date < SEED_TODAY;
        const status = past
          ? r.chance(0.15)
            ? "locked"
            : "approved"
          : r.chance(0.2)
            ? "rejected"
            : r.chance(0.5)
              ? "waiting_for_approval"
              : "approved";
        this.#add(
          "user_shifts",
          { user_id: u.id, shift_id: shift.id, date_of_shift: date, status, description: null },
          formatTimestamp(Date.parse(`${addDays(WINDOW_START, -7)}T10:00:00+03:00`) + r.int(0, 3600_000)),
        );
      }
    }
  }

  #payrollsAndEntrances(): void {
    const r = this.#rng("payrolls");
    const devices = this.#store.ofCompany("devices", this.#company.id);
    const cards = this.#store.ofCompany("cards", this.#company.id);
    const inDevice = devices[0];
    const outDevice = devices[1] ?? devices[0];
    for (const u of this.#attendanceUsers()) {
      const card = cards.find((c) => c.user_id === u.id) ?? null;
      const shift = this.#store.get("shifts", typeof u.shift_id === "string" ? u.shift_id : null) ?? this.#shifts[0];
      if (!shift) continue;
      for (let d = 0; d < WINDOW_DAYS; d++) {
        const date = addDays(WINDOW_START, d);
        if (date >= SEED_TODAY) continue;
        const weekend = isoWeekday(date) >= 6;
        const checkIn = shift.check_in_time === undefined || shift.check_in_time === null ? "09:00" : text(shift.check_in_time);
        const checkOut = shift.check_out_time === undefined || shift.check_out_time === null ? "18:00" : text(shift.check_out_time);
        const inMs = Date.parse(`${date}T${checkIn}:00+03:00`) + r.int(-15, 25) * 60_000;
        const extra = r.chance(0.25) ? r.int(30, 120) : 0;
        const outMs = Date.parse(`${date}T${checkOut}:00+03:00`) + (extra + r.int(-10, 10)) * 60_000 + (checkOut <= checkIn ? DAY_MS : 0);
        const actual = weekend ? 0 : Math.round((outMs - inMs) / 60_000);
        const created = formatTimestamp(Date.parse(`${addDays(date, 1)}T02:00:00+03:00`));
        this.#add(
          "payrolls",
          {
            user_id: u.id,
            date_of_work: date,
            actual_entrance: weekend ? null : formatTimestamp(inMs),
            actual_exit: weekend ? null : formatTimestamp(outMs),
            actual_hours: actual,
            excepted_hours: weekend ? 0 : 480,
            overtime: weekend ? 0 : Math.max(0, actual - 540),
            public_holiday_overtime: 0,
            is_holiday: false,
            is_weekend: weekend,
            shift_id: weekend ? null : shift.id,
            shift_name: weekend ? null : (shift.name ?? null),
            leave_id: null,
            leave_name: null,
            leave_type: null,
          },
          created,
        );
        if (weekend) continue;
        const zoneIds = inDevice && Array.isArray(inDevice.zone_ids) ? inDevice.zone_ids : [];
        const zoneId = typeof zoneIds[0] === "string" ? zoneIds[0] : null;
        const branchId = typeof u.branch_id === "string" ? u.branch_id : null;
        for (const [ms, device, type] of [
          [inMs, inDevice, "check_in"],
          [outMs, outDevice, "check_out"],
        ] as const) {
          this.#add(
            "entrances",
            {
              user_id: u.id,
              device_id: device?.id ?? null,
              card_id: card?.id ?? null,
              zone_id: zoneId,
              branch_id: branchId,
              description: null,
              device_type: device?.device_type ?? null,
              entrance_type: type,
              status: null,
              is_manual_recording: false,
              log_date: date,
            },
            formatTimestamp(ms),
          );
        }
      }
    }
  }

  #extraWorks(): void {
    const r = this.#rng("user_extra_works");
    const people = this.#attendanceUsers();
    const count = this.#spec.key === "acme" ? 30 : 8;
    const descriptions = ["Proje teslimi için ek mesai", "Ay sonu kapanış", "Sistem bakım çalışması", "Stok sayımı", "Müşteri kurulumu"];
    for (let i = 0; i < count; i++) {
      const u = people[i % people.length];
      if (!u) break;
      const date = addDays("2025-12-01", r.int(0, 44));
      const startH = r.int(18, 19);
      const planned = r.int(1, 3);
      const inM = r.int(0, 10);
      const outM = r.int(40, 59);
      const overtime = (planned - 1) * 60 + (outM - inM) + 60 - 60;
      const status = date < "2026-01-05" ? r.pick(["approved", "approved", "rejected"]) : "pending";
      const description = r.pick(descriptions);
      const checkIn = `${startH}:${String(inM).padStart(2, "0")}:00`;
      const checkOut = `${startH + planned - 1}:${String(outM).padStart(2, "0")}:00`;
      const rec = this.#add(
        "user_extra_works",
        {
          user_id: u.id,
          date_of_extra_work: date,
          start_time: `${startH}:00:00`,
          end_time: `${startH + planned}:00:00`,
          check_in_time: checkIn,
          check_out_time: checkOut,
          status,
          description,
          overtime,
          auto_generated: r.chance(0.3),
          time_in_seconds: overtime * 60,
        },
        formatTimestamp(Date.parse(`${addDays(date, 1)}T10:00:00+03:00`)),
      );
      this.#approval(
        "UserExtraWork",
        rec,
        u,
        "extra_work_approval",
        status === "pending" ? "pending" : status === "approved" ? "approved" : "rejected",
      );
    }
  }

  #assignments(): void {
    const r = this.#rng("assignments");
    const branches = this.#store.ofCompany("branches", this.#company.id);
    const positions = this.#store.ofCompany("job_positions", this.#company.id);
    const people = this.#users.filter((u) => u.is_active === true);
    const n = this.#spec.key === "acme" ? 6 : 3;
    for (let i = 0; i < n; i++) {
      const u = i === 0 ? (this.#named.get("ayse") ?? people[3] ?? people[0]) : people[(i * 7) % people.length];
      if (!u) continue;
      const target = branches.find((b) => b.id !== u.branch_id) ?? branches[0];
      const start = addDays("2025-10-06", i * 21);
      const end = addDays(start, r.int(5, 20));
      const status = r.pick(["pending", "started", "completed", "cancelled"]);
      const req = this.#add("assignment_requests", {
        user_id: u.id,
        branch_id: target?.id ?? null,
        job_position_id: typeof u.job_position_id === "string" ? u.job_position_id : (positions[0]?.id ?? null),
        original_branch_id: typeof u.branch_id === "string" ? u.branch_id : null,
        original_job_position_id: typeof u.job_position_id === "string" ? u.job_position_id : null,
        start_date: start,
        end_date: end,
        description: `${text(target?.title)} şubesine geçici görevlendirme`,
        status,
      });
      this.#approval(
        "AssignmentRequest",
        req,
        u,
        "assignment_request_approval",
        status === "pending" ? "pending" : status === "cancelled" ? "rejected" : "approved",
      );
      if (status !== "pending") {
        this.#add("temporary_assignments", {
          user_id: u.id,
          assignment_request_id: req.id,
          description: req.description ?? null,
          start_date: start,
          end_date: end,
          job_position_id: req.job_position_id ?? null,
          branch_id: req.branch_id ?? null,
          original_job_position_id: req.original_job_position_id ?? null,
          original_branch_id: req.original_branch_id ?? null,
          status,
        });
      }
      this.#add("rotation_users", {
        user_id: u.id,
        branch_id: target?.id ?? null,
        original_branch_id: typeof u.branch_id === "string" ? u.branch_id : null,
        start_date: start,
        end_date: end,
        status: status === "cancelled" ? "cancelled" : status,
      });
    }
  }

  #goalsAndRates(): void {
    const r = this.#rng("goals");
    const people = this.#users.filter((u) => u.is_active === true);
    const n = this.#spec.key === "acme" ? 10 : 4;
    const categories: [string, string][] = [
      ["Satış Hedefleri", "Aylık Satış"],
      ["Müşteri Memnuniyeti", "NPS Puanı"],
      ["Verimlilik", "Tamamlanan Görev Sayısı"],
    ];
    for (let i = 0; i < n; i++) {
      const u = people[(i * 5 + 1) % people.length];
      if (!u) continue;
      const dept = this.#store.get("departments", typeof u.department_id === "string" ? u.department_id : null);
      const [category, name] = categories[i % categories.length] ?? ["", ""];
      const month = String((i % 12) + 1).padStart(2, "0");
      const target = r.int(50, 500) * 1000;
      this.#add("target_goals", {
        target_category_name: category,
        target_name: name,
        department_name: dept?.name ?? null,
        client_id: u.client_id ?? null,
        user_id: u.id,
        actual_goal: Math.round(target * (0.6 + r.next() * 0.6)),
        target_value: target,
        start_date: `2025-${month}-01`,
        end_date: addDays(`2025-${month}-01`, 27),
      });
      const graduation = r.int(40, 100);
      const seniority = r.int(40, 100);
      const stability = r.int(40, 100);
      const goal = r.int(40, 100);
      this.#add("user_rates", {
        user_id: u.id,
        client_id: u.client_id ?? null,
        fba_rate: Math.round(r.next() * 1000) / 10,
        graduation_rate: graduation,
        seniority_rate: seniority,
        stability_rate: stability,
        goal_rate: goal,
        total_rate: Math.round(((graduation + seniority + stability + goal) / 4) * 10) / 10,
        set_date_of_rate: "2026-01-01",
      });
    }
  }

  #balanceImports(): void {
    const r = this.#rng("balances");
    const annual = this.#leaveTypes.get("Yıllık İzin");
    const people = this.#users.filter((u) => u.is_active === true);
    const n = this.#spec.key === "acme" ? 16 : 5;
    for (let i = 0; i < n; i++) {
      const u = people[i];
      if (!u) continue;
      const days = r.int(2, 28) / 2;
      this.#add("leave_balance_imports", {
        user_id: u.id,
        leave_type_id: annual?.id ?? null,
        balance_days: days,
        balance: Math.round(days * 480),
        balanced_at: "2026-01-01",
      });
    }
  }
}

/** The approval outcome that matches a leave status (null: no approval record). */
function approvalOutcome(status: string, r: Prng): "pending" | "in_progress" | "approved" | "rejected" | null {
  switch (status) {
    case "awaiting_approval":
    case "on_administrator_approval":
    case "document_delivery_awaiting":
      return r.chance(0.7) ? "pending" : "in_progress";
    case "hr_approval":
      return "in_progress";
    case "approved":
    case "finished":
    case "approaching":
      return "approved";
    case "rejected":
    case "hr_rejection":
    case "rejected_by_administrator":
      return "rejected";
    default:
      return null;
  }
}

/** The first Monday–Friday date on or after the given one. */
function nextWorkday(date: string): string {
  let d = date;
  while (isoWeekday(d) >= 6) d = addDays(d, 1);
  return d;
}

/** Monday–Friday days in an inclusive range. */
function workdays(from: string, to: string): number {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) if (isoWeekday(d) <= 5) n++;
  return n;
}
