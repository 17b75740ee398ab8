//! The participation map: one square tile per county, placed roughly where the county lies (north at
//! the top), shaded by the share of its school authorities taking part, with the share written on it so
//! the colour is never the only cue. No boundary data is needed; the placement is ours.

use maud::{Markup, html};
use serde_json::Value;

use super::json::Read;
use super::page::Page;
use super::words::W;

/// A county's place on the tile map.
struct Tile {
    /// The county's number (länskod, fylkesnummer).
    code: &'static str,
    /// The short label written on the tile.
    short: &'static str,
    /// Column, from the west.
    column: u32,
    /// Row, from the north.
    row: u32,
}

const fn tile(code: &'static str, short: &'static str, column: u32, row: u32) -> Tile {
    Tile {
        code,
        short,
        column,
        row,
    }
}

/// Sweden's 21 län by länskod, labelled with their ISO 3166-2 letters.
const SWEDEN: [Tile; 21] = [
    tile("25", "BD", 2, 0),
    tile("24", "AC", 2, 1),
    tile("23", "Z", 1, 2),
    tile("22", "Y", 2, 2),
    tile("20", "W", 1, 3),
    tile("21", "X", 2, 3),
    tile("17", "S", 0, 4),
    tile("18", "T", 1, 4),
    tile("19", "U", 2, 4),
    tile("03", "C", 3, 4),
    tile("14", "O", 0, 5),
    tile("05", "E", 1, 5),
    tile("04", "D", 2, 5),
    tile("01", "AB", 3, 5),
    tile("13", "N", 0, 6),
    tile("06", "F", 1, 6),
    tile("08", "H", 2, 6),
    tile("09", "I", 3, 6),
    tile("12", "M", 0, 7),
    tile("07", "G", 1, 7),
    tile("10", "K", 2, 7),
];

/// Norway's 15 fylker (2024) by fylkesnummer.
const NORWAY: [Tile; 15] = [
    tile("56", "FIN", 4, 0),
    tile("55", "TRO", 3, 1),
    tile("18", "NOR", 2, 2),
    tile("50", "TRØ", 2, 3),
    tile("15", "MRO", 1, 4),
    tile("34", "INN", 2, 4),
    tile("46", "VES", 1, 5),
    tile("33", "BUS", 2, 5),
    tile("03", "OSL", 3, 5),
    tile("32", "AKE", 4, 5),
    tile("11", "ROG", 1, 6),
    tile("40", "TEL", 2, 6),
    tile("39", "VFO", 3, 6),
    tile("31", "ØST", 4, 6),
    tile("42", "AGD", 2, 7),
];

/// Side of a tile and the gap between tiles, in SVG units.
const SIDE: u32 = 54;
const GAP: u32 = 4;

/// The shade of a share (0 to 1): five steps of one hue, light to dark, 0 on its own.
pub fn shade(share: f64) -> u8 {
    match share {
        s if s <= 0.0 => 0,
        s if s <= 0.05 => 1,
        s if s <= 0.15 => 2,
        s if s <= 0.40 => 3,
        _ => 4,
    }
}

/// The limits of the shades, for the legend.
const SHADES: [&str; 5] = ["0 %", "≤ 5 %", "≤ 15 %", "≤ 40 %", "> 40 %"];

/// A share as a percentage, "4.7 %".
pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// The map of `regions` (the API's `participationByRegion`) in `country`; a county the layout does not
/// know (a reform to come) gets a tile in a row below the others.
pub fn map(country: &str, regions: &[Value]) -> Markup {
    let layout: &[Tile] = match country {
        "SE" => &SWEDEN,
        "NO" => &NORWAY,
        _ => &[],
    };
    let rows = layout.iter().map(|t| t.row + 1).max().unwrap_or(0);
    let mut extra = 0;
    let mut placed: Vec<(u32, u32, String, &Value)> = Vec::new();
    for region in regions {
        let code = region
            .at("region")
            .list("identifiers")
            .iter()
            .find(|i| matches!(i.s("scheme"), "SE_LANSKOD" | "NO_FYLKESNUMMER"))
            .map(|i| i.s("value"))
            .unwrap_or_default();
        match layout.iter().find(|t| t.code == code) {
            Some(tile) => placed.push((tile.column, tile.row, tile.short.to_owned(), region)),
            None => {
                let name = super::parts::name_of(region.at("region"), "name");
                let short: String = name.chars().take(3).collect();
                placed.push((extra % 5, rows + extra / 5, short, region));
                extra += 1;
            }
        }
    }
    let columns = placed.iter().map(|p| p.0 + 1).max().unwrap_or(1);
    let height_rows = placed.iter().map(|p| p.1 + 1).max().unwrap_or(1);
    let width = columns * (SIDE + GAP);
    let height = height_rows * (SIDE + GAP);
    html! {
        svg.tile-map viewBox={ "0 0 " (width) " " (height) } width=(width) height=(height)
            role="img" aria-labelledby="map-caption" {
            @for (column, row, short, region) in &placed {
                @let share = region.get("share").and_then(Value::as_f64).unwrap_or(0.0);
                @let x = column * (SIDE + GAP);
                @let y = row * (SIDE + GAP);
                g class={ "tile shade-" (shade(share)) } data-region=(region.at("region").s("id")) {
                    title {
                        (super::parts::name_of(region.at("region"), "name")) ": "
                        (region.int("participating")) " / " (region.int("authorities")) " (" (percent(share)) ")"
                    }
                    rect x=(x) y=(y) width=(SIDE) height=(SIDE) rx="4" {}
                    text x=(x + SIDE / 2) y=(y + 22) text-anchor="middle" class="tile-name" { (short) }
                    text x=(x + SIDE / 2) y=(y + 40) text-anchor="middle" class="tile-share" { (format!("{:.0}%", share * 100.0)) }
                }
            }
        }
    }
}

/// The legend of the shades.
pub fn legend(page: &Page) -> Markup {
    html! {
        div.legend {
            h3.legend-title { (page.w(W::Legend)) ": " (page.w(W::Share).to_lowercase()) }
            ul {
                @for (step, label) in SHADES.iter().enumerate() {
                    li { span class={ "swatch shade-" (step) } aria-hidden="true" {} (label) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_county_of_the_reference_data_has_a_place_of_its_own() {
        for (layout, file) in [
            (&SWEDEN[..], include_str!("../../data/reference/se_lan.csv")),
            (&NORWAY[..], include_str!("../../data/reference/no_fylker_2024.csv")),
        ] {
            let codes: Vec<&str> = file.lines().skip(1).filter_map(|line| line.split(',').next()).collect();
            assert_eq!(codes.len(), layout.len());
            for code in codes {
                assert!(layout.iter().any(|t| t.code == code), "no tile for {code}");
            }
            let mut places: Vec<(u32, u32)> = layout.iter().map(|t| (t.column, t.row)).collect();
            places.sort_unstable();
            places.dedup();
            assert_eq!(places.len(), layout.len(), "two tiles on one place");
        }
    }

    #[test]
    fn shares_shade_in_five_steps() {
        assert_eq!(shade(0.0), 0);
        assert_eq!(shade(2.0 / 43.0), 1);
        assert_eq!(shade(1.0), 4);
    }
}
