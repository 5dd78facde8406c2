use super::{Figure, plot_err};
use crate::analysis::join::{need, str_values};
use crate::error::{Error, Result};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use polars::prelude::*;

/// Options of [`barh`].
#[derive(Debug, Clone)]
pub struct BarOptions {
    pub title: String,
    pub width: u32,
    pub height: u32,
    /// Axis label of the values (default: the value column's name).
    pub value_label: Option<String>,
    pub color: RGBColor,
}

impl Default for BarOptions {
    fn default() -> Self {
        BarOptions {
            title: String::new(),
            width: 800,
            height: 500,
            value_label: None,
            color: RGBColor(31, 119, 180),
        }
    }
}

impl BarOptions {
    option_setters!(BarOptions);

    /// The axis label of the values.
    pub fn value_label(mut self, label: impl Into<String>) -> Self {
        self.value_label = Some(label.into());
        self
    }

    /// A height that gives each of `bars` bars 22 pixels, plus 80 for the title and axis.
    pub fn height_for(mut self, bars: u32) -> Self {
        self.height = bars * 22 + 80;
        self
    }

    /// Only the height in pixels (the width stays).
    pub fn height(mut self, height: u32) -> Self {
        self.height = height;
        self
    }
}

/// Horizontal bars of `value` per `label`, in the frame's row order with the first row on top
/// (sort the frame descending for "largest on top").
pub fn barh(df: &DataFrame, label: &str, value: &str, opts: &BarOptions) -> Result<Figure> {
    let labels: Vec<String> = str_values(df, "bar data", label)?
        .into_iter()
        .map(|v| v.unwrap_or_else(|| "null".into()))
        .collect();
    let values: Vec<f64> = need(df, "bar data", value)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .map(|v| v.unwrap_or(0.0))
        .collect();
    let n = values.len();
    if n == 0 {
        return Err(Error::InvalidParameter(format!(
            "barh: no rows to draw for `{value}`"
        )));
    }
    let max = values.iter().cloned().fold(0.0f64, f64::max);
    let longest = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(40) as u32;
    let x_desc = opts
        .value_label
        .clone()
        .unwrap_or_else(|| value.to_string());
    let upper = if max > 0.0 { max * 1.05 } else { 1.0 };
    // Row i sits at y = n-1-i (first row on top). Labels are drawn by hand at each bar's centre:
    // plotters' own tick placement on a numeric axis would not land on every row.
    let y_of = |i: usize| (n - 1 - i) as f64;
    Figure::draw(opts.width, opts.height, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&opts.title, ("sans-serif", 20))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(20 + longest * 7)
            .build_cartesian_2d(0.0..upper, -0.5..(n as f64 - 0.5))
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(x_desc.as_str())
            .draw()
            .map_err(plot_err)?;
        let color = opts.color;
        chart
            .draw_series(values.iter().enumerate().map(|(i, &v)| {
                Rectangle::new([(0.0, y_of(i) - 0.4), (v, y_of(i) + 0.4)], color.filled())
            }))
            .map_err(plot_err)?;
        let style = TextStyle::from(("sans-serif", 12).into_font())
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, label) in labels.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(0.0, y_of(i)));
            let text = if label.chars().count() > 40 {
                format!("{}…", label.chars().take(39).collect::<String>())
            } else {
                label.clone()
            };
            root.draw(&Text::new(text, (x - 6, y), style.clone()))
                .map_err(plot_err)?;
        }
        Ok(())
    })
}
