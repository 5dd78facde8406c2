//! Colours: matplotlib's default cycle (tab10) for series, and continuous colormaps for heatmaps.

use plotters::style::RGBColor;

/// matplotlib's default colour cycle ("tab10"), in order.
pub const TAB10: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// The `i`-th colour of the cycle (wraps after ten).
pub fn tab10(i: usize) -> RGBColor {
    TAB10[i % TAB10.len()]
}

/// `#rrggbb`, lowercase.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// A continuous colormap, sampled from matplotlib's own at evenly spaced anchors and
/// interpolated linearly between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colormap {
    /// Dark purple → yellow, perceptually uniform (matplotlib's default).
    #[default]
    Viridis,
    /// Black → purple → orange → pale yellow.
    Inferno,
    /// Diverging blue → light grey → red, for values around a centre.
    Coolwarm,
}

// Nine evenly spaced samples of each map (0, 1/8, ..., 1), from matplotlib's tables.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (0x44, 0x01, 0x54),
    (0x47, 0x2d, 0x7b),
    (0x3b, 0x52, 0x8b),
    (0x2c, 0x72, 0x8e),
    (0x21, 0x90, 0x8c),
    (0x27, 0xad, 0x81),
    (0x5d, 0xc8, 0x63),
    (0xaa, 0xdc, 0x32),
    (0xfd, 0xe7, 0x25),
];
const INFERNO: [(u8, u8, u8); 9] = [
    (0x00, 0x00, 0x04),
    (0x1f, 0x0c, 0x48),
    (0x55, 0x0f, 0x6d),
    (0x88, 0x22, 0x6a),
    (0xba, 0x36, 0x55),
    (0xe3, 0x59, 0x32),
    (0xf9, 0x8c, 0x0a),
    (0xf9, 0xc9, 0x32),
    (0xfc, 0xff, 0xa4),
];
const COOLWARM: [(u8, u8, u8); 9] = [
    (59, 76, 192),
    (98, 130, 234),
    (141, 176, 254),
    (184, 208, 249),
    (221, 221, 221),
    (245, 196, 173),
    (244, 154, 123),
    (222, 96, 77),
    (180, 4, 38),
];

impl Colormap {
    fn anchors(self) -> &'static [(u8, u8, u8)] {
        match self {
            Colormap::Viridis => &VIRIDIS,
            Colormap::Inferno => &INFERNO,
            Colormap::Coolwarm => &COOLWARM,
        }
    }

    /// The colour at `t` in 0–1 (clamped; NaN gives the low end).
    pub fn color(self, t: f64) -> RGBColor {
        let a = self.anchors();
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let pos = t * (a.len() - 1) as f64;
        let i = (pos.floor() as usize).min(a.len() - 2);
        let f = pos - i as f64;
        let mix = |lo: u8, hi: u8| (lo as f64 + (hi as f64 - lo as f64) * f).round() as u8;
        let (lo, hi) = (a[i], a[i + 1]);
        RGBColor(mix(lo.0, hi.0), mix(lo.1, hi.1), mix(lo.2, hi.2))
    }

    /// [`Colormap::color`] as `#rrggbb`.
    pub fn hex(self, t: f64) -> String {
        hex(self.color(t))
    }
}

/// Relative luminance (0 dark – 1 light), to pick black or white text on a colour.
pub(crate) fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}
