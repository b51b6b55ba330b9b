//! Bar charts as SVG, drawn on the server: readable without JavaScript, styled by the
//! portal's stylesheet, each with its numbers in a table beside it.

/// A horizontal bar chart of `(label, value)` rows, labelled with the values.
pub fn bars(title: &str, rows: &[(String, f64)], unit: &str) -> String {
    const ROW: f64 = 26.0;
    const WIDTH: f64 = 640.0;
    // The labels' column is as wide as the longest label needs (about 7.5 units a
    // character at the labels' size), so that no label is cut off at the left.
    let longest = rows
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    let label_width = (longest as f64 * 7.5 + 16.0).clamp(120.0, 400.0);
    let max = rows
        .iter()
        .map(|(_, v)| *v)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let height = ROW * rows.len().max(1) as f64 + 10.0;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">",
        escape(title)
    );
    for (n, (label, value)) in rows.iter().enumerate() {
        let y = n as f64 * ROW + 4.0;
        let w = (WIDTH - label_width - 70.0) * value / max;
        svg.push_str(&format!(
            "<text class=\"chart-label\" x=\"{x}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"chart-bar\" x=\"{label_width}\" y=\"{y}\" width=\"{w:.1}\" height=\"{h}\"></rect>\
             <text class=\"chart-value\" x=\"{vx:.1}\" y=\"{ty}\">{value}{unit}</text>",
            x = label_width - 8.0,
            ty = y + 15.0,
            label = escape(label),
            h = ROW - 8.0,
            vx = label_width + w + 6.0,
            value = format_value(*value),
            unit = escape(unit),
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn format_value(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Text for SVG: the chart is built as a string, so it escapes what it writes itself.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_draws_one_bar_per_row_and_escapes_its_labels() {
        let svg = bars("Claims", &[("<b>".into(), 3.0), ("Two".into(), 1.5)], "");
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(svg.contains(">3<") && svg.contains(">1.5<"));
    }
}
