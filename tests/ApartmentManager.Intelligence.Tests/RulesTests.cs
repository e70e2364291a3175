using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Rules;

namespace ApartmentManager.Intelligence.Tests;

public sealed class RulesTests
{
    private static RuleResult Eval(string text) => RulesEngine.Default.Evaluate(text);

    [Theory]
    [InlineData("I smell gas in the kitchen")]
    [InlineData("there are sparks coming out of the outlet")]
    [InlineData("the bathroom is flooding, water everywhere")]
    [InlineData("sewage is coming up through the tub")]
    [InlineData("The CO alarm is going off")]
    [InlineData("there's smoke coming from the oven")]
    [InlineData("no heat and it's freezing, I have a baby")]
    [InlineData("my child locked inside and I'm outside")]
    [InlineData("Huele a gas en la cocina")]
    [InlineData("El enchufe echa chispas")]
    [InlineData("se está inundando el baño")]
    [InlineData("sin calefacción y está helando")]
    public void Emergency_cues_in_english_and_spanish(string text) => Assert.Equal(Urgency.Emergency, Eval(text).UrgencyFloor);

    [Theory]
    [InlineData("we have no hot water since yesterday")]
    [InlineData("I'm locked out of my apartment")]
    [InlineData("the front door won't lock")]
    [InlineData("found bed bugs on the mattress")]
    [InlineData("the fridge died and food is spoiling")]
    [InlineData("no heat since this morning")]
    [InlineData("AC is out during this heat wave")]
    [InlineData("no hay agua caliente")]
    [InlineData("me quedé afuera sin llaves")]
    public void High_cues(string text) => Assert.Equal(Urgency.High, Eval(text).UrgencyFloor);

    [Theory]
    [InlineData("the AC is out but it's a mild day")] // AC out without a heat wave is ordinary
    [InlineData("smoke detector battery is chirping")] // a chirping detector is not smoke
    [InlineData("when is the fire extinguisher inspection?")]
    [InlineData("the faucet drips a little")]
    public void Ordinary_messages_get_no_urgency_floor(string text) => Assert.Null(Eval(text).UrgencyFloor);

    [Theory]
    [InlineData("no leak anymore, thanks", "leak*")]
    [InlineData("the sink is not leaking", "leak*")]
    [InlineData("the sparking stopped after the electrician came", "sparking")]
    [InlineData("ya no hay fuga en la cocina", "fuga*")]
    [InlineData("the flooding was fixed yesterday", "flooding")]
    public void Negated_cues_do_not_fire(string text, string phrase)
    {
        var r = Eval(text);
        Assert.Contains(r.Matches, m => m.Cue.Phrase == phrase && m.Negated);
        Assert.DoesNotContain(r.Active, m => m.Cue.Phrase == phrase);
    }

    [Fact]
    public void Negation_does_not_cross_a_clause()
    {
        var r = Eval("No problem with the sink, but the toilet is leaking");
        Assert.Contains(r.Active, m => m.Cue.Phrase == "leak*");
        Assert.Equal(Category.Plumbing, r.DecisiveCategory);
    }

    [Fact]
    public void An_absence_cue_is_not_negated_by_its_own_first_word()
    {
        var r = Eval("there is no hot water");
        Assert.Contains(r.Active, m => m.Cue.Phrase == "no hot water");
    }

    [Fact]
    public void Negated_emergency_gives_no_floor() => Assert.Null(Eval("There is no gas smell anymore, all good").UrgencyFloor);

    [Theory]
    [InlineData("the kitchen faucet is dripping", Category.Plumbing)]
    [InlineData("outlet in the bedroom stopped working, breaker trips", Category.Electrical)]
    [InlineData("thermostat is blank and the radiator is cold", Category.Hvac)]
    [InlineData("the dishwasher won't drain water", null)] // appliance + plumbing cue: not decisive
    [InlineData("cockroaches in the kitchen", Category.Pest)]
    [InlineData("the neighbors play loud music every night", Category.NoiseNeighbor)]
    [InlineData("I was charged a late fee on my rent", Category.Billing)]
    [InlineData("my package was delivered but it's missing from the mailroom", Category.PackageDelivery)]
    [InlineData("someone is parking in my spot in the garage", Category.AmenityParking)]
    [InlineData("hay cucarachas en la cocina", Category.Pest)]
    [InlineData("quiero renovar mi contrato", Category.Lease)]
    public void Category_cues(string text, Category? expected) => Assert.Equal(expected, Eval(text).DecisiveCategory);

    [Fact]
    public void Hazards_are_counted_once_per_cue()
    {
        Assert.Equal(2, RulesEngine.Default.CountHazards("I smell gas and there are sparks, I smell gas again"));
        Assert.Equal(0, RulesEngine.Default.CountHazards("when are the office hours?"));
    }

    // A keyword that says where an issue is must not decide what it is about (issue 13, sixth round).
    [Theory]
    [InlineData("roaches coming out of the drain in the bathroom", Category.Pest)]
    [InlineData("little flies keep coming out of the kitchen sink drain", Category.Pest)]
    [InlineData("saw a cockroach crawl out of the shower drain last night", Category.Pest)]
    [InlineData("hay cucarachas saliendo del desagüe del baño", Category.Pest)]
    [InlineData("water coming through the ceiling light fixture in the kitchen!!", Category.Plumbing)]
    [InlineData("URGENT water dripping through the light fixture in my ceiling, upstairs must be flooding", Category.Plumbing)]
    [InlineData("water leaking through the ceiling light in the hallway", Category.Plumbing)]
    [InlineData("dishwasher hose came off and water is all over the kitchen floor", Category.Plumbing)]
    [InlineData("the hose behind the washer burst and water is pouring across the floor", Category.Plumbing)]
    [InlineData("se zafó la manguera de la lavadora y hay agua en el piso", Category.Plumbing)]
    [InlineData("Cómo reservo el salón para una fiesta?", Category.AmenityParking)]
    [InlineData("puedo reservar el salón para una fiesta?", Category.AmenityParking)]
    [InlineData("How do I reserve the clubhouse for a birthday party?", Category.AmenityParking)]
    [InlineData("can I book the party room for saturday?", Category.AmenityParking)]
    [InlineData("puedo instalar un ventilador de techo?", Category.Hvac)]
    [InlineData("the ceiling fan in the bedroom wobbles", Category.Hvac)]
    [InlineData("The bathroom exhaust fan rattles loudly every time it runs", Category.Hvac)]
    [InlineData("ceiling light in the living room buzzes and dims randomly", Category.Electrical)]
    [InlineData("can I swap the light fixture in the dining area for my own?", Category.Electrical)]
    [InlineData("hay cables pelados colgando del techo", Category.Electrical)]
    [InlineData("can I get a spare mailbox key made?", Category.PackageDelivery)]
    public void A_location_keyword_does_not_decide_the_category(string text, Category expected) => Assert.Equal(expected, Eval(text).DecisiveCategory);

    // The same keywords still decide when they are the subject.
    [Theory]
    [InlineData("The bathtub drain is clogged with standing water after showers", Category.Plumbing)]
    [InlineData("shower drains super slow, water up to my ankles after 5 min", Category.Plumbing)]
    [InlineData("black mold growing on the bathroom ceiling, keeps coming back", Category.Structural)]
    [InlineData("a ceiling tile in the bedroom is sagging and stained", Category.Structural)]
    [InlineData("Hay moho en el techo del baño", Category.Structural)]
    [InlineData("hubo fiesta arriba hasta las 4 de la mañana otra vez", Category.NoiseNeighbor)]
    [InlineData("the neighbors are partying again, it is 2am", Category.NoiseNeighbor)]
    [InlineData("washer wont spin, clothes come out soaking wet", Category.Appliance)]
    public void A_keyword_still_decides_when_it_is_the_subject(string text, Category expected) => Assert.Equal(expected, Eval(text).DecisiveCategory);

    // Context drops only a keyword's category: urgency floors and hazards of emergency cues always stay.
    [Theory]
    [InlineData("roaches everywhere and the sink pipe burst, flooding the kitchen")]
    [InlineData("the ceiling collapsed onto the ceiling fan")]
    [InlineData("se cayó el techo cerca de la lámpara")]
    [InlineData("water is coming through the ceiling light fixture")]
    [InlineData("dishwasher hose burst and the kitchen is flooded")]
    [InlineData("party in the clubhouse and someone is on fire")]
    public void Context_never_loses_an_emergency(string text)
    {
        var r = Eval(text);
        Assert.Equal(Urgency.Emergency, r.UrgencyFloor);
        Assert.True(r.HazardCount >= 1);
    }

    [Fact]
    public void Context_drops_only_the_category_weight_of_the_keyword()
    {
        var r = Eval("roaches coming out of the drain");
        Assert.Contains(r.Active, m => m.Cue.Phrase == "drain*");
        Assert.False(r.DecisiveScores.ContainsKey(Category.Plumbing));
        Assert.Equal(1.0, r.DecisiveScores[Category.Pest]);
        // The heads' rule features are what they were trained on: every category cue, no context.
        Assert.Equal(1.0, r.CategoryScores[Category.Plumbing]);
        Assert.Equal(1.0, r.CategoryScores[Category.Pest]);
    }

    [Fact]
    public void Decisive_only_cues_are_not_head_features()
    {
        var r = Eval("the dishwasher hose came off");
        Assert.Equal(Category.Plumbing, r.DecisiveCategory);
        Assert.False(r.CategoryScores.ContainsKey(Category.Plumbing));
        Assert.Equal(1.0, r.CategoryScores[Category.Appliance]);
    }
}
