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

impl<'f> Page<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Self {
            fonts,
            ops: Vec::new(),
            y: MARGIN,
            full: Vec::new(),
        }
    }

    /// Starts a new page unless `height` mm more fit on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.full.push(std::mem::take(&mut self.ops));
            self.y = MARGIN;
        }
    }

    /// Every page's operations, in order.
    pub fn into_pages(mut self) -> Vec<Vec<Op>> {
        self.full.push(self.ops);
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
        self.ensure(size * 0.3528 * 1.45);
        self.y += size * 0.3528 * 1.45;
        self.text_at(MARGIN, self.y, size, face, s);
    }

    /// Text wrapped to `width` mm at word boundaries, line by line.
    pub fn paragraph(&mut self, size: f32, face: Face, s: &str, width: f32) {
        let mut current = String::new();
        for word in s.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if !current.is_empty() && self.width(&candidate, size, face) > width {
                self.line(size, face, &current);
                current = word.to_owned();
            } else {
                current = candidate;
            }
        }
        if !current.is_empty() {
            self.line(size, face, &current);
        }
    }

    /// A label and its value on one line, the value in bold at a tab stop.
    pub fn field(&mut self, label: &str, value: &str) {
        self.ensure(10.0 * 0.3528 * 1.6);
        self.y += 10.0 * 0.3528 * 1.6;
        self.text_at(MARGIN, self.y, 10.0, Face::Regular, label);
        self.text_at(MARGIN + 55.0, self.y, 10.0, Face::Bold, value);
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
