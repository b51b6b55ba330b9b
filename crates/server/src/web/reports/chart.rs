//! Bar charts as SVG, drawn on the server: readable without JavaScript, styled by the
//! portal's stylesheet, each with its numbers in a table beside it.

/// A horizontal bar chart of `(label, value)` rows, labelled with the values.
pub fn bars(title: &str, rows: &[(String, f64)], unit: &str) -> String {
    const ROW: f64 = 26.0;
    const LABEL: f64 = 220.0;
    const WIDTH: f64 = 640.0;
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
        let w = (WIDTH - LABEL - 70.0) * value / max;
        svg.push_str(&format!(
            "<text class=\"chart-label\" x=\"{x}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"chart-bar\" x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"{h}\"></rect>\
             <text class=\"chart-value\" x=\"{vx:.1}\" y=\"{ty}\">{value}{unit}</text>",
            x = LABEL - 8.0,
            ty = y + 15.0,
            label = escape(label),
            h = ROW - 8.0,
            vx = LABEL + w + 6.0,
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
