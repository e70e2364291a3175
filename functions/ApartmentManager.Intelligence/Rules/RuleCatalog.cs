using ApartmentManager.Domain;
using static ApartmentManager.Domain.Category;

namespace ApartmentManager.Intelligence.Rules;

/// <summary>
/// The hand-written cue lists (English and Spanish). Written from the urgency definitions of the taxonomy, not
/// fitted to the data set. Emergency and high cues only ever raise urgency.
/// </summary>
public static class RuleCatalog
{
    private static readonly string[] Freezing =
        ["freezing", "below zero", "below freezing", "frozen", "negative degrees", "snow*", "baby", "infant", "newborn",
         "elderly", "helando", "congelando", "bajo cero", "bebe", "nieve", "mucho frio"];
    private static readonly string[] HeatWave =
        ["heat wave", "heatwave", "100 degrees", "over 100", "105", "110", "heat advisory", "ola de calor", "40 grados", "calor extremo", "extreme heat"];

    // Context for category keywords that name where an issue is rather than what it is about: a pest seen in a drain,
    // a party-room booking, water coming through a light fixture, a fan in the ceiling. With one of these phrases in the
    // message the keyword's category does not count (its urgency floor, if any, still does).
    private static readonly string[] PestSubjects =
        ["roach*", "cockroach*", "bug*", "flies", "fruit flies", "gnat*", "ants", "mice", "mouse", "rat", "rats", "rodent*", "insect*", "worm*",
         "silverfish", "centipede*", "spider*", "maggot*", "pest*", "cucaracha*", "hormiga*", "mosca*", "mosquito*", "bicho*", "raton*", "rata*", "gusano*", "plaga*"];
    private static readonly string[] WasherAppliances = ["dishwasher", "washer", "washing machine", "lavadora", "lavaplatos", "lavavajillas"];
    private static readonly string[] HoseSubjects = ["hose*", "manguera*"];
    private static readonly string[] WaterSubjects = ["water", "agua", "leak*", "drip*", "gotea*"];
    private static readonly string[] CeilingFixtures =
        ["fan", "fans", "light", "lights", "fixture*", "vent", "vents", "water coming through", "dripping through", "leaking through", "coming through the"];
    private static readonly string[] TechoFixtures = ["ventilador*", "abanico*", "lampara*", "foco*", "cable*", "luz"];
    private static readonly string[] Booking =
        ["reserv*", "book", "booking", "rent the", "clubhouse", "rooftop", "party room", "community room", "salon", "apartar"];

    // Lazy: the cue lists below are static fields that must be initialised first.
    private static readonly Lazy<IReadOnlyList<Cue>> LazyDefault = new(Build);

    public static IReadOnlyList<Cue> Default => LazyDefault.Value;

    /// <summary>Words that negate a cue when they come up to three words before it in the same clause.</summary>
    public static IReadOnlySet<string> PreNegators { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "no", "not", "never", "without", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "aint", "nothing", "sin", "nunca", "tampoco", "ni",
    };

    /// <summary>Phrases that cancel a cue when they follow it in the same clause ("the leak stopped", "ya no").</summary>
    public static IReadOnlyList<string[]> PostNegators { get; } =
    [
        ["anymore"], ["stopped"], ["is", "fixed"], ["was", "fixed"], ["got", "fixed"], ["been", "fixed"], ["is", "resolved"], ["was", "resolved"],
        ["is", "gone"], ["are", "gone"], ["went", "away"], ["no", "longer"], ["ya", "no"], ["ya", "se", "arreglo"], ["ya", "esta", "arreglad*"],
        ["se", "arreglo"], ["arreglaron"], ["se", "detuvo"], ["paro"], ["ya", "paro"],
    ];

    private static List<Cue> Build()
    {
        List<Cue> c = [];
        void Cat(Category cat, double weight, params string[] phrases) => c.AddRange(phrases.Select(p => new Cue(p, cat, weight, Language: Lang(p))));
        void CatUnless(Category cat, string[] unless, params string[] phrases) =>
            c.AddRange(phrases.Select(p => new Cue(p, cat, 1.0, Language: Lang(p), CategoryUnlessAny: unless)));
        // Cues added for the decisive category only (issue 13, sixth round): the trained heads do not read them.
        void Ctx(Category cat, string[]? unless, params string[] phrases) =>
            c.AddRange(phrases.Select(p => new Cue(p, cat, 1.0, Language: Lang(p), CategoryUnlessAny: unless, DecisiveOnly: true)));
        void Urg(Category? cat, Urgency floor, bool hazard, params string[] phrases) =>
            c.AddRange(phrases.Select(p => new Cue(p, cat, cat is null ? 0 : 1.0, floor, hazard, Lang(p))));

        // ---------- Emergencies: immediate threat to life, safety or property ----------
        Urg(Plumbing, Urgency.Emergency, true, "gas smell", "smell gas", "smells like gas", "smelling gas", "gas leak", "leaking gas", "smell of gas",
            "huele a gas", "olor a gas", "fuga de gas", "rotten eggs", "gas odor", "odor of gas", "huele mucho a gas", "huele fuerte a gas", "olor fuerte a gas");
        // "gas" wherever a smell is mentioned in the message ("smells strongly of gas", "se siente el olor del gas").
        c.Add(new Cue("gas", Plumbing, 1.0, Urgency.Emergency, true, RequiresAny: ["smell*", "huele", "olor", "odor", "odour", "apesta"]));
        c.Add(new Cue("fire", null, 0, Urgency.Emergency, true,
            NotFollowedBy: ["extinguisher", "extinguishers", "drill", "drills", "inspection", "code", "escape", "lane", "pit", "place", "alarm", "alarms", "department", "marshal"]));
        Urg(null, Urgency.Emergency, true, "on fire", "flames", "incendio", "fuego", "llamas", "smoke alarm going off", "fire alarm going off",
            "smoke coming", "smoke pouring", "full of smoke", "sale humo", "mucho humo");
        c.Add(new Cue("smoke", null, 0, Urgency.Emergency, true, NotFollowedBy: ["detector", "detectors", "alarm", "alarms", "detector's"]));
        c.Add(new Cue("humo", null, 0, Urgency.Emergency, true, "es", NotFollowedBy: ["detector"]));
        Urg(Plumbing, Urgency.Emergency, true, "flooding", "flooded", "water everywhere", "burst pipe", "pipe burst", "pipe exploded", "pipe broke",
            "water pouring", "pouring water", "water is pouring", "is pouring from", "pouring out from", "gushing", "water is coming through the ceiling", "ceiling is caving", "sewage", "sewer backup",
            "sewage backup", "raw sewage", "inunda*", "tubo reventado", "se reviento", "aguas negras", "drenaje desbordado");
        Urg(Electrical, Urgency.Emergency, true, "sparking", "sparks", "spark", "sparked", "arcing", "burning smell from the outlet", "outlet is burning",
            "melted outlet", "outlet melted", "smoking outlet", "exposed live wire*", "live wire*", "exposed wire*", "bare wire*", "wires hanging", "wires are hanging",
            "wires exposed", "wires are exposed", "electrocuted", "shock from the outlet", "got shocked", "electric shock", "chispas", "chispea*", "enchufe quemado",
            "cables expuestos", "cables pelados", "me dio toque", "dio una descarga");
        Urg(Hvac, Urgency.Emergency, true, "carbon monoxide", "co alarm", "co detector going off", "co detector is going off", "monoxido", "co2 alarm");
        c.AddRange(new[] { "no heat", "heat is out", "heat is not working", "heating is out", "heater is broken", "heat went out", "heat doesnt work",
                "sin calefaccion", "calefaccion no funciona", "no hay calefaccion" }
            .Select(p => new Cue(p, Hvac, 1.0, Urgency.Emergency, true, Lang(p), RequiresAny: Freezing)));
        Urg(SecurityAccess, Urgency.Emergency, true, "someone is breaking in", "breaking in right now", "break in in progress", "intruder",
            "someone trying to get in", "kicking the door", "child locked inside", "kid locked inside", "baby locked inside", "locked inside",
            "toddler is locked", "nino encerrado", "bebe encerrado", "encerrado adentro", "encerrada adentro", "alguien quiere entrar", "a la fuerza");
        // Violence and medical emergencies: urgent whatever the category turns out to be.
        Urg(null, Urgency.Emergency, true, "gun", "gunshot*", "shooting", "stabbing", "knife", "violence", "violen*", "beating", "screaming for help",
            "getting hurt", "not breathing", "isnt responding", "unconscious", "911", "pistola", "disparos", "alguien esta herido", "pidiendo ayuda");
        Urg(Structural, Urgency.Emergency, true, "ceiling collapsed", "ceiling fell", "ceiling caved", "ceiling is collapsing", "caving in", "cave in",
            "se cayo el techo", "se cayo parte del techo", "derrumbe");
        Urg(null, Urgency.Emergency, true, "collapsed", "collapsing");
        // Fire risk without the word fire: an appliance that cannot be switched off, something melting or burning.
        Urg(Appliance, Urgency.Emergency, true, "oven wont turn off", "stove wont turn off", "burner wont turn off", "oven wont shut off", "stove wont shut off",
            "la estufa no se apaga", "el horno no se apaga");
        Urg(null, Urgency.Emergency, true, "smell something melting", "smell something burning", "something is melting", "something is burning", "plastic melting",
            "smells like burning", "burning smell", "smell of burning", "olor a quemado", "huele a quemado", "se esta quemando");
        Urg(Plumbing, Urgency.Emergency, true, "agua por todos lados", "tirando agua por todos lados", "water all over the floor");

        // ---------- High: habitability hit within 24 hours ----------
        Urg(Plumbing, Urgency.High, false, "no hot water", "no water", "without hot water", "hot water is out", "water heater is broken", "water heater broke",
            "only toilet", "only bathroom", "toilet overflow*", "sin agua caliente", "no hay agua caliente", "sin agua", "no hay agua", "unico bano");
        c.AddRange(new[] { "no heat", "heat is out", "heating is out", "heat went out", "sin calefaccion", "no hay calefaccion" }
            .Select(p => new Cue(p, Hvac, 1.0, Urgency.High, true, Lang(p))));
        c.AddRange(new[] { "ac is out", "ac out", "no ac", "ac broke", "ac not working", "ac isnt working", "air conditioning is out", "no air conditioning",
                "sin aire", "aire acondicionado no funciona" }
            .Select(p => new Cue(p, Hvac, 1.0, Urgency.High, false, Lang(p), RequiresAny: HeatWave)));
        Urg(Appliance, Urgency.High, false, "fridge is dead", "fridge died", "fridge stopped", "fridge not cooling", "fridge isnt cooling", "fridge is warm",
            "refrigerator stopped", "refrigerator is dead", "refrigerator not cooling", "refrigerator died", "food is spoiling", "food spoiling",
            "refri no enfria", "nevera no enfria", "refrigerador no enfria", "se descompuso el refri");
        Urg(SecurityAccess, Urgency.High, false, "locked out", "lockout", "locked myself out", "lost my key*", "lost my keys", "door wont lock",
            "door doesnt lock", "door will not lock", "lock is broken", "lock broke", "deadbolt broke", "deadbolt is broken", "cant lock",
            "me quede afuera", "me quede fuera", "perdi mis llaves", "perdi la llave", "la puerta no cierra", "cerradura rota", "no puedo entrar");
        Urg(Pest, Urgency.High, false, "bed bug*", "bedbug*", "rat", "rats", "rodent*", "mice", "mouse droppings", "chinche*", "rata*", "raton*");
        Urg(Electrical, Urgency.High, false, "no power", "power is out", "power outage", "lost power", "no electricity", "sin luz", "no hay luz", "se fue la luz");

        // ---------- Category cues (no urgency) ----------
        Cat(Plumbing, 1.0, "leak*", "drip*", "clog*", "faucet", "pipe*", "water heater",
            "hot water", "water pressure", "plumb*", "fuga*", "gotea*", "tapad*", "inodoro", "escusado", "tuberia*",
            "agua caliente", "calentador");
        Ctx(Plumbing, null, "water coming through", "water dripping through", "dripping through", "leaking through");
        // Fixtures are where pests show up: "roaches coming out of the drain" is a pest matter.
        CatUnless(Plumbing, PestSubjects, "toilet*", "sink", "shower", "bathtub", "tub", "lavabo", "fregadero", "regadera", "ducha", "desague");
        CatUnless(Plumbing, PestSubjects, "drain*");
        // A supply or drain hose that bursts or comes off floods the floor: plumbing, whichever appliance it feeds.
        Ctx(Plumbing, null, "hose*", "manguera*");
        Cat(Electrical, 1.0, "outlet*", "breaker*", "circuit*", "flicker*", "light switch", "wiring", "wires", "electric*", "fuse*", "enchufe*",
            "apagador", "electricidad", "cortocircuito", "focos", "voltage");
        // A light fixture is electrical unless water is coming through it (then it is a plumbing leak).
        Ctx(Electrical, WaterSubjects, "light fixture*", "ceiling light*");
        Cat(Hvac, 1.0, "heating", "space heater", "radiator*", "thermostat", "air conditioning", "air conditioner", "ac unit", "a c", "furnace",
            "hvac", "vents", "calefaccion", "aire acondicionado", "termostato", "radiador", "minisplit", "mini split", "heat pump");
        Ctx(Hvac, null, "ceiling fan*", "exhaust fan*", "ventilador*", "extractor");
        CatUnless(Appliance, HoseSubjects, WasherAppliances);
        Cat(Appliance, 1.0, "fridge", "refrigerator", "freezer", "dryer", "oven", "stove", "microwave",
            "garbage disposal", "disposal", "range hood", "ice maker", "refri", "nevera", "refrigerador", "secadora", "estufa", "horno",
            "microondas", "congelador");
        Cat(Pest, 1.0, "roach*", "cockroach*", "mice", "mouse", "rat", "rats", "rodent*", "bed bug*", "bedbug*", "ants", "termite*", "pest*", "wasp*",
            "hornet*", "fleas", "exterminator", "cucaracha*", "raton*", "rata*", "chinche*", "hormiga*", "plaga*", "fumigar", "fumigacion");
        // "ceiling" and "techo" say where, not what, when a fan, a light or water coming through is the subject.
        Ctx(Pest, null, "fruit flies", "flies", "gnat*", "bugs");
        CatUnless(Structural, CeilingFixtures, "ceiling");
        CatUnless(Structural, TechoFixtures, "techo");
        Cat(Structural, 1.0, "crack*", "mold", "mould", "moho", "hole in the wall", "sagging", "railing", "balcony", "roof", "foundation",
            "drywall", "window pane", "broken window", "window is broken", "floorboard*", "stairs", "staircase", "grieta*", "humedad", "barandal", "ventana rota");
        Cat(SecurityAccess, 1.0, "lock", "locks", "deadbolt", "key fob", "fob", "keycard", "front door", "entry door", "gate", "intercom", "buzzer",
            "break in", "broke in", "burglar*", "stranger*", "security camera*", "access code", "cerradura", "llave", "llaves", "porton", "intercomunicador",
            "robo", "robaron", "chapa");
        // Booking the party room or the rooftop for a party is an amenity request, not a noise complaint.
        CatUnless(NoiseNeighbor, Booking, "party", "partying", "fiesta");
        Cat(NoiseNeighbor, 1.0, "noise", "noisy", "loud", "music", "neighbor*", "neighbour*", "barking", "stomping", "yelling",
            "screaming", "quiet hours", "horas de silencio", "weed smell", "smoking on the balcony", "ruido", "ruidoso", "vecino*", "musica", "ladra*", "gritos");
        Cat(Billing, 1.0, "rent", "charge*", "charged", "late fee", "fees", "invoice", "bill", "billing", "payment", "refund", "autopay", "overcharged",
            "receipt", "balance", "ledger", "portal payment", "renta", "cobro*", "cobraron", "pago", "factura", "recargo", "reembolso", "me cobraron");
        Cat(Lease, 1.0, "lease", "renew*", "renewal", "move out", "moving out", "notice to vacate", "sublet", "sublease", "roommate", "pet policy",
            "security deposit", "terminate", "break my lease", "contrato", "arrendamiento", "mudarme", "mudanza", "renovar", "inquilino", "compañero de cuarto");
        Cat(PackageDelivery, 1.0, "package*", "parcel*", "delivery", "delivered", "amazon", "ups", "fedex", "usps", "dhl", "mailroom", "mail room",
            "package locker", "parcel locker", "mailbox", "paquete*", "entrega", "correo", "buzon", "paqueteria");
        Cat(AmenityParking, 1.0, "parking", "garage", "tow", "towed", "towing", "tow truck", "gym", "pool", "laundry room", "clubhouse", "rooftop", "bbq", "grill", "car",
            "reserved spot", "guest spot", "ev charger", "estacionamiento", "gimnasio", "alberca", "piscina", "cochera", "grua", "lavanderia");
        Ctx(AmenityParking, null, "reserve", "reserving", "reservation", "party room", "community room", "salon", "reservar", "reservo", "reservacion");
        Cat(General, 1.0, "office hours", "trash", "garbage pickup", "recycling", "hallway light", "common area", "lost and found", "newsletter",
            "community event", "basura", "reciclaje", "horario de oficina", "pasillo");
        return c;
    }

    // Cues carry a language tag for evidence only; a Spanish-looking phrase is tagged "es".
    private static string Lang(string phrase) =>
        phrase.Split(' ').Any(t => SpanishMarkers.Contains(t.TrimEnd('*'))) ? "es" : "en";

    private static readonly HashSet<string> SpanishMarkers =
    [
        "huele", "olor", "fuga", "incendio", "fuego", "llamas", "sale", "mucho", "humo", "inundacion", "inundado", "inundada", "se", "tubo", "aguas",
        "drenaje", "chispas", "chispea", "enchufe", "monoxido", "sin", "calefaccion", "hay", "nino", "bebe", "alguien", "estan", "pistola", "disparos",
        "cayo", "derrumbe", "agua", "unico", "aire", "refri", "nevera", "refrigerador", "me", "perdi", "la", "cerradura", "puedo", "chinche", "rata",
        "raton", "luz", "gotea", "tapad", "inodoro", "escusado", "lavabo", "fregadero", "tuberia", "regadera", "ducha", "desague", "calentador",
        "apagador", "electricidad", "cortocircuito", "focos", "termostato", "radiador", "lavadora", "secadora", "estufa", "horno", "lavaplatos",
        "lavavajillas", "microondas", "congelador", "cucaracha", "hormiga", "plaga", "fumigar", "fumigacion", "grieta", "techo", "humedad", "barandal",
        "ventana", "llave", "llaves", "porton", "intercomunicador", "robo", "robaron", "chapa", "ruido", "ruidoso", "vecino", "musica", "fiesta", "ladra",
        "gritos", "renta", "cobro", "cobraron", "pago", "factura", "recargo", "reembolso", "contrato", "arrendamiento", "mudarme", "mudanza", "renovar",
        "inquilino", "paquete", "entrega", "correo", "buzon", "paqueteria", "estacionamiento", "gimnasio", "alberca", "piscina", "cochera", "grua",
        "lavanderia", "basura", "reciclaje", "horario", "pasillo", "manguera", "ventilador", "reservar", "reservo", "reservacion",
    ];
}
