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
}
