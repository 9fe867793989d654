//! A small A4 page builder over printpdf's operations: text at a position
//! measured from the top-left in millimetres, lines, QR codes and Code 128
//! barcodes as filled rectangles (vector, sharp at any printer resolution).

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfFontHandle, Point,
    Polygon, PolygonRing, Pt, TextItem, WindingOrder,
};

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN: f32 = 20.0;

/// The two faces every document uses, with their metrics for measuring.
#[derive(Debug)]
pub struct Fonts {
    pub regular: (FontId, ParsedFont),
    pub bold: (FontId, ParsedFont),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

fn pt(mm: f32) -> Pt {
    Mm(mm).into()
}

fn at(x_mm: f32, top_mm: f32) -> LinePoint {
    LinePoint {
        p: Point {
            x: pt(x_mm),
            y: pt(PAGE_H - top_mm),
        },
        bezier: false,
    }
}

fn black() -> Color {
    Color::Greyscale(Greyscale::new(0.0, None))
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

/// A rectangle from its top-left corner and size, in mm from the top-left.
fn ring(x: f32, top: f32, w: f32, h: f32) -> PolygonRing {
    PolygonRing {
        points: vec![
            at(x, top),
            at(x + w, top),
            at(x + w, top + h),
            at(x, top + h),
        ],
    }
}

/// The page being drawn, and those already full; `y` is the next line's
/// baseline, in mm from the top. Lines that would run into the bottom
/// margin start a new page.
#[derive(Debug)]
pub struct Page<'f> {
    fonts: &'f Fonts,
    pub ops: Vec<Op>,
    pub y: f32,
    full: Vec<Vec<Op>>,
}

/// Lowest baseline on a page, in mm from the top.
const BOTTOM: f32 = PAGE_H - 18.0;

/// The distance between baselines of `size`-point text, in mm.
pub fn line_height(size: f32) -> f32 {
    size * 0.3528 * 1.45
}

fn row_line_height(cells: &[Cell<'_>]) -> f32 {
    line_height(cells.iter().map(|c| c.size).fold(0.0, f32::max))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A cell of a [`Page::row`]: its column (`x`, `width` in mm) and text.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub x: f32,
    pub width: f32,
    pub size: f32,
    pub face: Face,
    pub align: Align,
    pub text: &'a str,
}

impl<'a> Cell<'a> {
    /// A 10-point, left-aligned cell.
    pub fn new(x: f32, width: f32, face: Face, text: &'a str) -> Self {
        Self {
            x,
            width,
            size: 10.0,
            face,
            align: Align::Left,
            text,
        }
    }

    pub fn right(self) -> Self {
        Self {
            align: Align::Right,
            ..self
        }
    }
}

impl<'f> Page<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Self {
            fonts,
            ops: Vec::new(),
            y: MARGIN,
            full: Vec::new(),
        }
    }

    /// Starts a new page unless `height` mm more fit on this one; says
    /// whether it did (a table then repeats its headings).
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > BOTTOM {
            self.full.push(std::mem::take(&mut self.ops));
            self.y = MARGIN;
            true
        } else {
            false
        }
    }

    /// Every page's operations, in order; with "strona 1 z 3" at the foot
    /// of each page when there is more than one.
    pub fn into_pages(mut self) -> Vec<Vec<Op>> {
        let last = std::mem::take(&mut self.ops);
        self.full.push(last);
        let n = self.full.len();
        if n > 1 {
            let mut pages = std::mem::take(&mut self.full);
            for (i, ops) in pages.iter_mut().enumerate() {
                self.ops = std::mem::take(ops);
                let text = format!("strona {} z {n}", i + 1);
                let w = self.width(&text, 8.0, Face::Regular);
                self.text_at(
                    PAGE_W - MARGIN - w,
                    PAGE_H - 10.0,
                    8.0,
                    Face::Regular,
                    &text,
                );
                *ops = std::mem::take(&mut self.ops);
            }
            return pages;
        }
        self.full
    }

    fn font(&self, face: Face) -> &(FontId, ParsedFont) {
        match face {
            Face::Regular => &self.fonts.regular,
            Face::Bold => &self.fonts.bold,
        }
    }

    /// Width of `s` in mm at `size` points.
    pub fn width(&self, s: &str, size: f32, face: Face) -> f32 {
        let font = &self.font(face).1;
        let units: u32 = s
            .chars()
            .map(|c| {
                font.lookup_glyph_index(c as u32)
                    .and_then(|g| font.get_glyph_width(g))
                    .map_or(0, u32::from)
            })
            .sum();
        let em = f32::from(font.units_per_em.max(1));
        // Font units → points → mm.
        (units as f32 / em) * size * 25.4 / 72.0
    }

    /// Text with its baseline at `top` mm from the top of the page.
    pub fn text_at(&mut self, x: f32, top: f32, size: f32, face: Face, s: &str) {
        let id = self.font(face).0.clone();
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: black() },
            Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: pt(x),
                    y: pt(PAGE_H - top),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// A line of text at the cursor, which moves down by the line height.
    pub fn line(&mut self, size: f32, face: Face, s: &str) {
        self.ensure(line_height(size));
        self.y += line_height(size);
        self.text_at(MARGIN, self.y, size, face, s);
    }

    /// `s` cut into lines no wider than `width` mm: at spaces, and a word
    /// too long for a line of its own is cut between letters, so nothing
    /// ever runs past its column.
    pub fn wrap(&self, s: &str, size: f32, face: Face, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in s.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate, size, face) <= width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // The word alone: cut it if even that does not fit.
            for c in word.chars() {
                let mut longer = current.clone();
                longer.push(c);
                if !current.is_empty() && self.width(&longer, size, face) > width {
                    lines.push(std::mem::replace(&mut current, c.to_string()));
                } else {
                    current = longer;
                }
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }

    /// Text wrapped to `width` mm at word boundaries, line by line.
    pub fn paragraph(&mut self, size: f32, face: Face, s: &str, width: f32) {
        for l in self.wrap(s, size, face, width) {
            self.line(size, face, &l);
        }
    }

    /// One row of cells side by side, each wrapped to its own column; the
    /// cursor moves below the tallest. A row is never split across pages.
    /// Returns whether it had to start a new page.
    pub fn row(&mut self, cells: &[Cell<'_>], lead: f32) -> bool {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .map(|c| self.wrap(c.text, c.size, c.face, c.width))
            .collect();
        let lh = row_line_height(cells);
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let height = lead + lh * (lines as f32 - 1.0);
        let broke = self.ensure(height);
        let top = self.y + lead;
        for (c, ls) in cells.iter().zip(&wrapped) {
            for (i, l) in ls.iter().enumerate() {
                let x = match c.align {
                    Align::Left => c.x,
                    Align::Right => c.x + c.width - self.width(l, c.size, c.face),
                };
                self.text_at(x, top + lh * i as f32, c.size, c.face, l);
            }
        }
        self.y += height;
        broke
    }

    /// How far a [`Page::row`] of these cells would move the cursor.
    pub fn row_height(&self, cells: &[Cell<'_>], lead: f32) -> f32 {
        let lines = cells
            .iter()
            .map(|c| self.wrap(c.text, c.size, c.face, c.width).len())
            .max()
            .unwrap_or(1);
        lead + row_line_height(cells) * (lines as f32 - 1.0)
    }

    /// A label and its value, the value in bold at a tab stop; either one
    /// wraps within its own column, so a long label never runs into its
    /// value.
    pub fn field(&mut self, label: &str, value: &str) {
        let tab = 55.0;
        self.row(
            &[
                Cell::new(MARGIN, tab - 3.0, Face::Regular, label),
                Cell::new(MARGIN + tab, PAGE_W - 2.0 * MARGIN - tab, Face::Bold, value),
            ],
            line_height(10.0) * 1.1,
        );
    }

    pub fn gap(&mut self, mm: f32) {
        self.y += mm;
    }

    pub fn rule(&mut self, x1: f32, x2: f32, top: f32, thickness_pt: f32) {
        self.ops.extend([
            Op::SetOutlineColor { col: black() },
            Op::SetOutlineThickness {
                pt: Pt(thickness_pt),
            },
            Op::DrawLine {
                line: Line {
                    points: vec![at(x1, top), at(x2, top)],
                    is_closed: false,
                },
            },
        ]);
    }

    /// A grey band behind a notice (e.g. the offline line), `h` mm high.
    pub fn band(&mut self, top: f32, h: f32) {
        self.ops.extend([
            Op::SetFillColor { col: grey(0.9) },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![ring(MARGIN - 2.0, top, PAGE_W - 2.0 * MARGIN + 4.0, h)],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    fn fill(&mut self, rings: Vec<PolygonRing>) {
        self.ops.extend([
            Op::SetFillColor { col: black() },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings,
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    /// A QR code (error correction M) with its top-left at (`x`, `top`);
    /// `module` mm per module; the 4-module quiet zone is left blank around
    /// it, so the caller leaves `4 * module` free on each side. Returns the
    /// code's side in mm.
    pub fn qr(&mut self, data: &str, x: f32, top: f32, module: f32) -> Result<f32, String> {
        let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| e.to_string())?;
        let n = code.width();
        let cells = code.to_colors();
        let mut rings = Vec::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if cells[row * n + col] == qrcode::Color::Dark {
                    let start = col;
                    while col < n && cells[row * n + col] == qrcode::Color::Dark {
                        col += 1;
                    }
                    rings.push(ring(
                        x + module * start as f32,
                        top + module * row as f32,
                        module * (col - start) as f32,
                        module,
                    ));
                } else {
                    col += 1;
                }
            }
        }
        self.fill(rings);
        Ok(module * n as f32)
    }

    /// A Code 128 barcode whose left quiet zone (10 modules) starts at `x`;
    /// `module` mm per module, bars `h` mm high. Returns its full width
    /// including both quiet zones.
    pub fn code128(
        &mut self,
        data: &str,
        x: f32,
        top: f32,
        module: f32,
        h: f32,
    ) -> Result<f32, String> {
        let code = code128::Code128::encode_str(data)
            .ok_or_else(|| format!("{data} cannot be written in Code 128"))?;
        let rings = code
            .bar_coordinates()
            .map(|b| ring(x + module * b.x as f32, top, module * f32::from(b.width), h))
            .collect();
        self.fill(rings);
        Ok(module * code.len() as f32)
    }
}
