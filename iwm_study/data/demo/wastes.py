"""The demonstration's waste: the List of Waste entries used, and how each kind is handled."""

from __future__ import annotations

from dataclasses import dataclass

# The waste: List of Waste entries used, and how each kind is handled
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waste:
    """One List of Waste entry as the dataset uses it."""

    description: str
    state: str  # one of schema.PHYSICAL_STATES
    handling: str  # key of HANDLING
    density: float | None = None  # t/m3, for liquids and sludges that may be reported in m3


#: The European List of Waste entries (Decision 2000/532/EC as amended by 2014/955/EU) that the
#: demonstration uses; a trailing '*' marks an absolute or mirror hazardous entry.
WASTES: dict[str, Waste] = {
    "01 04 13": Waste("Stone cutting and sawing waste", "solid", "mineral"),
    "01 05 05*": Waste("Oil-containing drilling muds and cuttings", "sludge", "drilling", 1.6),
    "01 05 07": Waste("Barite-containing drilling muds", "sludge", "drilling", 1.7),
    "01 05 08": Waste("Chloride-containing drilling muds and cuttings", "sludge", "drilling", 1.6),
    "02 02 02": Waste("Animal-tissue waste (bones, fat, offal)", "solid", "organic"),
    "02 02 03": Waste("Meat products unsuitable for consumption", "solid", "organic"),
    "02 02 04": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 03 01": Waste("Sludge from washing and peeling of fruit and vegetables", "sludge", "organic", 1.1),
    "02 03 04": Waste("Plant residues unsuitable for processing (pomace, husks, rejects)", "solid", "organic"),
    "02 03 05": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 04 01": Waste("Soil from cleaning and washing sugar beet", "solid", "mineral"),
    "02 04 02": Waste("Off-specification calcium carbonate (lime sludge)", "sludge", "mineral", 1.3),
    "02 04 03": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 05 01": Waste("Dairy products unsuitable for consumption (whey, returns)", "liquid", "organic", 1.03),
    "02 05 02": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 06 01": Waste("Bakery and confectionery products unsuitable for sale", "solid", "organic"),
    "02 06 03": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 07 01": Waste("Wastes from washing and crushing of grapes and fruit", "solid", "organic"),
    "02 07 02": Waste("Distillation residues (vinasse)", "liquid", "organic", 1.02),
    "02 07 04": Waste("Spent grain, grape marc and lees", "solid", "organic"),
    "02 07 05": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "03 01 01": Waste("Waste bark", "solid", "wood"),
    "03 01 04*": Waste("Sawdust and offcuts of treated wood containing hazardous substances", "solid", "haz_solid"),
    "03 01 05": Waste("Sawdust, shavings, offcuts and particle board", "solid", "wood"),
    "03 03 08": Waste("Paper and cardboard trimmings sorted for recycling", "solid", "paper"),
    "04 02 09": Waste("Upholstery fabric and foam offcuts", "solid", "textile"),
    "04 02 16*": Waste("Dyestuffs and pigments containing hazardous substances", "powder", "haz_chem"),
    "04 02 17": Waste("Spent dyestuffs and pigments", "powder", "haz_free_chem"),
    "04 02 20": Waste("Sludge from dye-house effluent treatment", "sludge", "sludge", 1.1),
    "04 02 21": Waste("Waste from unprocessed fibres (cotton, wool, silk)", "solid", "textile"),
    "04 02 22": Waste("Yarn and fabric offcuts", "solid", "textile"),
    "05 01 03*": Waste("Tank bottom sludges", "sludge", "oil", 1.1),
    "05 01 06*": Waste("Oily sludges from maintenance of plant and equipment", "sludge", "oil", 1.1),
    "05 01 07*": Waste("Acid tars", "sludge", "haz_sludge", 1.3),
    "05 01 09*": Waste("Sludge from effluent treatment containing hazardous substances", "sludge", "haz_sludge", 1.2),
    "05 01 10": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.15),
    "05 01 15*": Waste("Spent filter clays", "solid", "haz_solid"),
    "06 01 06*": Waste("Spent acids", "liquid", "acid", 1.2),
    "06 02 04*": Waste("Spent sodium and potassium hydroxide solutions", "liquid", "acid", 1.2),
    "06 04 04*": Waste("Wastes containing mercury (chlor-alkali residues)", "sludge", "haz_solid"),
    "06 05 02*": Waste("Sludge from effluent treatment containing hazardous substances", "sludge", "haz_sludge", 1.25),
    "06 05 03": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.2),
    "07 01 01*": Waste("Aqueous washing liquids and mother liquors", "liquid", "haz_liquid", 1.05),
    "07 01 04*": Waste("Spent organic solvents", "liquid", "solvent", 0.85),
    "07 01 08*": Waste("Still bottoms and reaction residues", "sludge", "haz_chem", 1.1),
    "07 01 11*": Waste("Sludge from effluent treatment containing hazardous substances", "sludge", "haz_sludge", 1.2),
    "07 01 12": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.15),
    "07 02 08*": Waste("Still bottoms and reaction residues (oligomers, waxes)", "sludge", "haz_chem", 0.95),
    "07 02 10*": Waste("Spent adsorbents and filter cakes", "solid", "haz_solid"),
    "07 02 11*": Waste("Sludge from effluent treatment containing hazardous substances", "sludge", "haz_sludge", 1.2),
    "07 02 12": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.1),
    "07 02 13": Waste("Off-specification polymer, lumps and sweepings", "solid", "plastic"),
    "07 02 15": Waste("Spent additives and masterbatch", "powder", "haz_free_chem"),
    "07 04 01*": Waste("Aqueous washing liquids from pesticide formulation", "liquid", "haz_liquid", 1.05),
    "07 04 08*": Waste("Reaction residues from pesticide synthesis", "sludge", "haz_chem", 1.2),
    "07 04 11*": Waste("Sludge from effluent treatment containing pesticides", "sludge", "haz_sludge", 1.2),
    "07 04 13*": Waste("Off-specification pesticide batches", "powder", "haz_chem"),
    "07 06 01*": Waste("Aqueous washing liquids from detergent production", "liquid", "haz_liquid", 1.05),
    "07 06 12": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.1),
    "08 01 11*": Waste("Waste paint and varnish containing organic solvents", "liquid", "solvent", 1.2),
    "08 01 12": Waste("Waste water-based paint", "liquid", "haz_free_chem", 1.3),
    "08 01 15*": Waste("Aqueous sludges containing paint with organic solvents", "sludge", "haz_sludge", 1.2),
    "08 03 12*": Waste("Waste printing ink containing hazardous substances", "liquid", "solvent", 1.1),
    "08 03 13": Waste("Waste printing ink", "liquid", "haz_free_chem", 1.1),
    "08 04 09*": Waste("Waste adhesives and sealants containing organic solvents", "liquid", "solvent", 1.1),
    "08 04 10": Waste("Waste glue and sealants", "solid", "haz_free_chem"),
    "09 01 02*": Waste("Offset plate developer solutions", "liquid", "haz_liquid", 1.05),
    "10 02 02": Waste("Unprocessed electric-arc-furnace slag", "solid", "slag"),
    "10 02 07*": Waste("Electric-arc-furnace dust (zinc-bearing)", "powder", "metal_dust"),
    "10 02 10": Waste("Mill scale", "solid", "mill_scale"),
    "10 02 14": Waste("Sludge from gas treatment", "sludge", "sludge", 1.4),
    "10 03 02": Waste("Spent anode butts", "solid", "anode"),
    "10 03 04*": Waste("Primary production slags", "solid", "haz_solid"),
    "10 03 08*": Waste("Salt slag from remelting", "solid", "metal_dust"),
    "10 03 09*": Waste("Black dross from remelting", "solid", "metal_dust"),
    "10 03 16": Waste("Aluminium skimmings", "solid", "metal"),
    "10 03 18": Waste("Carbon-containing waste from anode manufacture", "solid", "mineral"),
    "10 03 19*": Waste("Flue-gas dust containing hazardous substances", "powder", "haz_solid"),
    "10 03 20": Waste("Flue-gas dust from the potlines", "powder", "mineral"),
    "10 10 03": Waste("Furnace slag from non-ferrous casting", "solid", "slag"),
    "10 10 08": Waste("Used casting cores and moulds (foundry sand)", "solid", "mineral"),
    "10 11 10": Waste("Batch mixture rejected before melting", "powder", "glass"),
    "10 11 12": Waste("Waste glass and cullet", "solid", "glass"),
    "10 11 14": Waste("Glass grinding and polishing sludge", "sludge", "sludge", 1.5),
    "10 11 16": Waste("Solid waste from flue-gas treatment", "powder", "mineral"),
    "10 12 01": Waste("Raw mix rejected before firing", "solid", "mineral"),
    "10 12 08": Waste("Broken bricks and tiles after firing", "solid", "mineral"),
    "10 13 01": Waste("Raw meal rejected before burning", "powder", "mineral"),
    "10 13 04": Waste("Waste from calcination and hydration of lime", "powder", "mineral"),
    "10 13 06": Waste("Cement kiln dust", "powder", "kiln_dust"),
    "10 13 11": Waste("Rejected cement-based products", "solid", "mineral"),
    "10 13 13": Waste("Solid waste from gas treatment (bypass dust)", "powder", "mineral"),
    "10 13 14": Waste("Waste concrete and concrete sludge", "solid", "mineral"),
    "11 01 05*": Waste("Spent pickling acids", "liquid", "acid", 1.25),
    "11 01 09*": Waste("Sludge and filter cakes containing hazardous substances", "sludge", "haz_sludge", 1.3),
    "12 01 01": Waste("Steel turnings, offcuts and filings", "solid", "metal"),
    "12 01 03": Waste("Non-ferrous turnings and offcuts (copper, aluminium)", "solid", "metal"),
    "12 01 05": Waste("Plastics shavings and offcuts", "solid", "plastic"),
    "12 01 09*": Waste("Spent machining emulsions", "liquid", "oil", 1.0),
    "12 01 13": Waste("Welding wastes", "solid", "metal"),
    "12 01 14*": Waste("Machining sludge containing hazardous substances", "sludge", "haz_sludge", 1.3),
    "12 01 17": Waste("Spent blasting grit", "solid", "mineral"),
    "13 02 05*": Waste("Used engine, gear and lubricating oils", "liquid", "oil", 0.88),
    "13 03 07*": Waste("Used transformer oil", "liquid", "oil", 0.88),
    "13 05 07*": Waste("Oily water from oil/water separators", "liquid", "oil", 1.0),
    "15 01 01": Waste("Paper and cardboard packaging", "solid", "paper"),
    "15 01 02": Waste("Plastic packaging (film, bags, PET)", "solid", "plastic"),
    "15 01 03": Waste("Wooden pallets and crates", "solid", "wood"),
    "15 01 04": Waste("Metal packaging (cans, drums)", "solid", "metal"),
    "15 01 07": Waste("Glass bottles and jars", "solid", "glass"),
    "15 01 10*": Waste("Packaging contaminated by hazardous substances", "solid", "haz_solid"),
    "15 02 02*": Waste("Oily rags, absorbents and filters", "solid", "haz_solid"),
    "16 01 03": Waste("End-of-life tyres", "solid", "tyres"),
    "16 02 14": Waste("Discarded electrical equipment", "solid", "weee"),
    "16 06 01*": Waste("Lead-acid batteries", "solid", "battery"),
    "16 07 08*": Waste("Oily waste from tank cleaning", "sludge", "oil", 1.1),
    "16 08 02*": Waste("Spent catalysts containing hazardous transition metals (Ni, Mo, Co)", "solid", "catalyst"),
    "16 08 07*": Waste("Spent catalysts contaminated with hazardous substances", "solid", "catalyst"),
    "16 11 01*": Waste("Spent pot lining (carbon-based linings and refractories)", "solid", "haz_solid"),
    "16 11 04": Waste("Spent furnace refractories", "solid", "mineral"),
    "16 11 06": Waste("Spent kiln refractories", "solid", "mineral"),
    "17 04 05": Waste("Iron and steel scrap from maintenance", "solid", "metal"),
    "20 01 01": Waste("Waste paper and printing offcuts", "solid", "paper"),
    "20 01 08": Waste("Canteen and kitchen waste", "solid", "organic"),
    "20 01 21*": Waste("Fluorescent tubes and other mercury-containing waste", "solid", "mercury"),
    "20 03 01": Waste("Mixed municipal-type waste", "solid", "mixed"),
}  # fmt: skip


@dataclass(frozen=True)
class Handling:
    """How a kind of waste is handled: plausible fates and the operations behind them.

    ``weights`` are the relative plausibility of the five national fate categories; the draw is
    then steered so that the tonnage-weighted shares of the whole dataset match the national
    ones. ``recovery`` are the R operations when the waste is used, sold or exported; ``transfer``
    the operation when it is handed to a treatment plant instead (sold_or_transferred only).
    """

    weights: dict[str, float]
    recovery: tuple[str, ...] = ()
    transfer: tuple[str, ...] = ()
    incinerable: bool = False  # a few such streams are incinerated
    fuel: bool = False  # incinerated with energy recovery (R1) rather than D10


def _w(used=0.0, sold=0.0, exported=0.0, landfilled=0.0, kept=0.0) -> dict[str, float]:
    return {
        "used_as_raw_material": used,
        "sold_or_transferred": sold,
        "exported": exported,
        "landfilled": landfilled,
        "kept_on_site": kept,
    }


HANDLING: dict[str, Handling] = {
    "metal": Handling(_w(0.12, 0.75, 0.08, 0.0, 0.05), ("R4",)),
    "mill_scale": Handling(_w(0.20, 0.45, 0.30, 0.0, 0.05), ("R4",)),
    "metal_dust": Handling(_w(0.0, 0.15, 0.50, 0.10, 0.25), ("R4",), ("D9",)),
    "anode": Handling(_w(0.30, 0.20, 0.45, 0.0, 0.05), ("R5", "R1")),
    "slag": Handling(_w(0.30, 0.40, 0.0, 0.10, 0.20), ("R5",)),
    "kiln_dust": Handling(_w(0.70, 0.10, 0.0, 0.10, 0.10), ("R5",)),
    "mineral": Handling(_w(0.35, 0.25, 0.0, 0.20, 0.20), ("R5",)),
    "glass": Handling(_w(0.55, 0.30, 0.0, 0.12, 0.03), ("R5",)),
    "paper": Handling(_w(0.10, 0.70, 0.0, 0.17, 0.03), ("R3",), incinerable=True, fuel=True),
    "plastic": Handling(_w(0.20, 0.55, 0.02, 0.20, 0.03), ("R3",), incinerable=True, fuel=True),
    "wood": Handling(_w(0.35, 0.40, 0.0, 0.20, 0.05), ("R3", "R1"), incinerable=True, fuel=True),
    "textile": Handling(_w(0.35, 0.45, 0.0, 0.17, 0.03), ("R3",), incinerable=True, fuel=True),
    "organic": Handling(_w(0.40, 0.35, 0.0, 0.22, 0.03), ("R3",)),
    "sludge": Handling(_w(0.15, 0.25, 0.0, 0.45, 0.15), ("R3", "R5"), ("D9",)),
    "mixed": Handling(_w(0.0, 0.08, 0.0, 0.87, 0.05), ("R13",), incinerable=True, fuel=True),
    "tyres": Handling(_w(0.0, 0.70, 0.0, 0.05, 0.25), ("R3", "R1"), incinerable=True, fuel=True),
    "oil": Handling(
        _w(0.15, 0.55, 0.02, 0.08, 0.20), ("R9",), ("D9",), incinerable=True, fuel=True
    ),
    "solvent": Handling(
        _w(0.10, 0.35, 0.0, 0.10, 0.45), ("R2",), ("D9",), incinerable=True, fuel=True
    ),
    "haz_liquid": Handling(_w(0.0, 0.40, 0.0, 0.0, 0.60), (), ("D9",), incinerable=True),
    "haz_chem": Handling(_w(0.0, 0.35, 0.0, 0.20, 0.45), (), ("D9",), incinerable=True),
    "haz_free_chem": Handling(_w(0.10, 0.30, 0.0, 0.40, 0.20), ("R3",), ("D9",)),
    "haz_sludge": Handling(_w(0.0, 0.30, 0.0, 0.40, 0.30), (), ("D9",)),
    "haz_solid": Handling(_w(0.0, 0.25, 0.03, 0.37, 0.35), ("R4",), ("D9",), incinerable=True),
    "drilling": Handling(_w(0.05, 0.45, 0.0, 0.20, 0.30), ("R5",), ("D9",)),
    "acid": Handling(_w(0.35, 0.35, 0.0, 0.0, 0.30), ("R6",), ("D9",)),
    "battery": Handling(_w(0.0, 0.75, 0.15, 0.0, 0.10), ("R4",)),
    "catalyst": Handling(_w(0.0, 0.20, 0.55, 0.0, 0.25), ("R8",)),
    "weee": Handling(_w(0.0, 0.60, 0.10, 0.10, 0.20), ("R4",)),
    "mercury": Handling(_w(0.0, 0.50, 0.0, 0.10, 0.40), ("R4",)),
}

# ---------------------------------------------------------------------------------------------
