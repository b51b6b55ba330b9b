//! Reports: what happened to claims over a period, read from the stored event log (so a
//! report survives restarts and is the same from every process), as tables with an SVG
//! chart drawn on the server beside each, and the same tables as CSV.

pub mod chart;
pub mod compute;
pub mod pages;
