//! The applicant's signature: the strokes the pad (a signature pad or a pen
//! tablet, seen by the window as a pointer) recorded, checked here and drawn
//! here into the PNG that goes with the application.
//!
//! The window sends strokes; the image it sends beside them is never
//! trusted: [`rendered`] draws the PNG again from the strokes (checked by the
//! domain's [`SignatureStrokes::check`] and here for enough, and not too
//! much, ink), so what the register receives is always what this module
//! drew from range-checked points, and a screen with a bug (or a script in
//! it) cannot hand over an arbitrary picture as a signature. The strokes are
//! bounded (strokes, points, the length of ink) before anything is drawn, so
//! drawing costs a few million pixel visits at most, whatever was sent.
//!
//! The points carry no pressure (the domain's [`StrokePoint`] is x, y and
//! time): the pad's pressure only shapes the line the window draws live.

use crate::CoreError;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use passport_domain::biometrics::{SignatureDraft, SignatureStrokes, SignedDraft, StrokePoint};
use passport_domain::{FieldError, ValidationErrors};

/// The pad's drawing space the window uses, in pixels of the rendered
/// image: the window scales the pointer's position to it, whatever the
/// pad's size on screen. 1000×300 is a 50×15 mm box at about 500 dpi.
pub const PAD_WIDTH: u16 = 1000;
pub const PAD_HEIGHT: u16 = 300;
/// The ink's whole length, in pad widths: a long signature is 3–6; what is
/// longer is not a signature, and the bound keeps drawing cheap.
pub const MAX_INK_WIDTHS: f64 = 40.0;
/// The least ink that is a signature and not a tap or a dot: its length,
/// and the width of the box it spans, as fractions of the pad's width.
pub const MIN_INK_LENGTH: f64 = 0.06;
pub const MIN_INK_SPAN: f64 = 0.04;
/// The pen's width, as a fraction of the pad's width (4 px on 1000).
const PEN_WIDTH: f64 = 0.004;

fn refused(path: &str, code: &str, pl: String, en: String) -> CoreError {
    CoreError::Invalid(ValidationErrors(vec![FieldError::new(path, code, pl, en)]))
}

fn dist(a: &StrokePoint, b: &StrokePoint) -> f64 {
    (f64::from(a.x) - f64::from(b.x)).hypot(f64::from(a.y) - f64::from(b.y))
}

/// Checks what the window sent, field errors at `path`: the domain's checks
/// (pad size, counts, every point on the pad, time), then the ink's length
/// (`signature.too_long`) and enough ink to be a signature
/// (`signature.empty`).
pub fn check(
    width: u16,
    height: u16,
    strokes: &[Vec<StrokePoint>],
    path: &str,
) -> Result<SignatureStrokes, CoreError> {
    let checked = SignatureStrokes::check(width, height, strokes, path)
        .map_err(|e| CoreError::Invalid(ValidationErrors(vec![e])))?;
    let w = f64::from(width);
    let length: f64 = strokes
        .iter()
        .map(|st| st.windows(2).map(|p| dist(&p[0], &p[1])).sum::<f64>())
        .sum();
    if length > MAX_INK_WIDTHS * w {
        return Err(refused(
            path,
            "signature.too_long",
            "Podpis jest zbyt rozległy jak na podpis — wyczyść pole i podpisz ponownie.".into(),
            "The signature is too long to be a signature — clear the pad and sign again.".into(),
        ));
    }
    let xs = strokes.iter().flatten().map(|p| p.x);
    let (lo, hi) = xs.fold((u16::MAX, 0), |(lo, hi), x| (lo.min(x), hi.max(x)));
    if length < MIN_INK_LENGTH * w || f64::from(hi.saturating_sub(lo)) < MIN_INK_SPAN * w {
        return Err(refused(
            path,
            "signature.empty",
            "Brak podpisu: wnioskodawca musi złożyć podpis w polu podpisu albo należy zaznaczyć, że nie może się podpisać, i podać powód.".into(),
            "No signature: the applicant must sign in the signature pad, or mark that they cannot sign and give the reason.".into(),
        ));
    }
    Ok(checked)
}

/// Draws the strokes black on white, anti-aliased, into an 8-bit grey
/// image of the pad's size (rows of `width` bytes).
pub fn draw(s: &SignatureStrokes) -> Vec<u8> {
    let (w, h) = (usize::from(s.width), usize::from(s.height));
    let r = (PEN_WIDTH * f64::from(s.width) / 2.0).max(1.0);
    let mut canvas = Canvas {
        px: vec![255u8; w * h],
        width: w,
        height: h,
    };
    for stroke in &s.strokes {
        if let [only] = stroke.as_slice() {
            canvas.disc(f64::from(only.x), f64::from(only.y), r);
        }
        for seg in stroke.windows(2) {
            let (a, b) = (&seg[0], &seg[1]);
            let (ax, ay, bx, by) = (
                f64::from(a.x),
                f64::from(a.y),
                f64::from(b.x),
                f64::from(b.y),
            );
            // Discs a quarter of the radius apart (half a pixel at least)
            // along the segment: keeping the darker of two coverages, that
            // is the segment's outline with round ends and joins.
            let steps = (dist(a, b) / (r / 4.0).max(0.5)).ceil().max(1.0);
            // ≤ 2 × the pad's diagonal (< 12 000): exact as u32.
            let n = steps as u32;
            for i in 0..=n {
                let t = f64::from(i) / steps;
                canvas.disc(ax + (bx - ax) * t, ay + (by - ay) * t, r);
            }
        }
    }
    canvas.px
}

struct Canvas {
    px: Vec<u8>,
    width: usize,
    height: usize,
}

impl Canvas {
    /// One anti-aliased disc centred on the pixel `(cx, cy)`, clipped.
    fn disc(&mut self, cx: f64, cy: f64, r: f64) {
        // Coordinates name pixels; their centres are at +0.5.
        let (cx, cy) = (cx + 0.5, cy + 0.5);
        // usize → f64: pad sides are ≤ 4000.
        let (w, h) = (self.width as f64, self.height as f64);
        let x0 = (cx - r - 1.0).floor().clamp(0.0, w - 1.0);
        let x1 = (cx + r + 1.0).ceil().clamp(0.0, w - 1.0);
        let y0 = (cy - r - 1.0).floor().clamp(0.0, h - 1.0);
        let y1 = (cy + r + 1.0).ceil().clamp(0.0, h - 1.0);
        // Clamped to the image just above: exact as usize.
        let (x0, x1, y0, y1) = (x0 as usize, x1 as usize, y0 as usize, y1 as usize);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let d = (x as f64 + 0.5 - cx).hypot(y as f64 + 0.5 - cy);
                let coverage = (r + 0.5 - d).clamp(0.0, 1.0);
                // Within 0–255 by the clamp.
                let ink = (255.0 * (1.0 - coverage)).round() as u8;
                let i = y * self.width + x;
                self.px[i] = self.px[i].min(ink);
            }
        }
    }
}

/// The checked strokes as a PNG (8-bit grey, the pad's size).
pub fn render_png(s: &SignatureStrokes) -> Result<Vec<u8>, CoreError> {
    let pixels = draw(s);
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, u32::from(s.width), u32::from(s.height));
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    let internal = |e: png::EncodingError| CoreError::Internal(format!("signature PNG: {e}"));
    let mut writer = enc.write_header().map_err(internal)?;
    writer.write_image_data(&pixels).map_err(internal)?;
    writer.finish().map_err(internal)?;
    Ok(out)
}

/// Checks the strokes and draws them: the one way a signature image is
/// made. The PNG in base64, for the window to show the clerk what will be
/// kept.
pub fn render(
    width: u16,
    height: u16,
    strokes: &[Vec<StrokePoint>],
    path: &str,
) -> Result<String, CoreError> {
    Ok(BASE64.encode(render_png(&check(width, height, strokes, path)?)?))
}

/// The signature the window sent, as it will be kept: for a signed one,
/// the image drawn again here from its strokes in place of whatever image
/// the window sent; an image without strokes is refused. Errors at `path`
/// (`biometrics.signature`).
pub fn rendered(draft: &SignatureDraft, path: &str) -> Result<SignatureDraft, CoreError> {
    Ok(match draft {
        SignatureDraft::Signed(SignedDraft {
            width,
            height,
            strokes,
            png_base64: _,
        }) => SignatureDraft::Signed(SignedDraft {
            width: *width,
            height: *height,
            strokes: strokes.clone(),
            png_base64: render(*width, *height, strokes, &format!("{path}.strokes"))?,
        }),
        SignatureDraft::CannotSign(c) => SignatureDraft::CannotSign(c.clone()),
        // An image alone is scripted intake's (`counterctl`, from a file
        // office IT answers for); from the window it would be a picture
        // nobody drew on the pad.
        SignatureDraft::Image(_) => {
            return Err(refused(
                path,
                "signature.image_from_window",
                "Podpis składa się na podkładce do podpisu — podpisz ponownie.".into(),
                "The signature is given on the signature pad — sign again.".into(),
            ));
        }
    })
}

impl crate::Counter {
    /// The pad's strokes drawn as they will be kept (for the logged-in
    /// clerk): the window shows this image, not its own drawing. Errors at
    /// `biometrics.signature`.
    pub fn render_signature(
        &self,
        width: u16,
        height: u16,
        strokes: &[Vec<StrokePoint>],
    ) -> Result<String, CoreError> {
        self.reader()?;
        render(width, height, strokes, "biometrics.signature")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code

    use super::*;
    use passport_domain::biometrics::PngImage;
    use passport_domain::biometrics::SIGNATURE_IMAGE;
    use proptest::prelude::*;

    fn pt(x: u16, y: u16, t_ms: u32) -> StrokePoint {
        StrokePoint { x, y, t_ms }
    }

    /// A wavy line across most of the pad, as a hand signs, and a dot.
    fn wave() -> Vec<Vec<StrokePoint>> {
        let stroke = (0..200u16)
            .map(|i| {
                let y = 150.0 + 60.0 * (f64::from(i) / 9.0).sin();
                pt(100 + i * 4, y as u16, u32::from(i) * 10)
            })
            .collect();
        vec![stroke, vec![pt(500, 40, 2500)]]
    }

    fn code(r: Result<SignatureStrokes, CoreError>) -> String {
        match r {
            Err(CoreError::Invalid(v)) => {
                assert_eq!(v.0[0].path, "signature");
                assert!(!v.0[0].message.pl.is_empty() && !v.0[0].message.en.is_empty());
                v.0[0].code.clone()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_signature_is_drawn_where_it_was_signed() {
        let png = render_png(&check(PAD_WIDTH, PAD_HEIGHT, &wave(), "signature").unwrap()).unwrap();
        // What the domain accepts as a signature image.
        let img = PngImage::decode(png, &SIGNATURE_IMAGE, "signature").unwrap();
        assert_eq!((img.width(), img.height()), (1000, 300));
        let px = draw(&check(PAD_WIDTH, PAD_HEIGHT, &wave(), "signature").unwrap());
        let at = |x: usize, y: usize| px[y * 1000 + x];
        assert_eq!(at(100, 150), 0, "ink under the first point");
        assert_eq!(at(500, 40), 0, "the dot");
        assert_eq!(at(50, 290), 255, "paper elsewhere");
        let inked = px.iter().filter(|&&v| v < 128).count();
        assert!(inked > 2000 && inked < 20000, "{inked}");
    }

    #[test]
    fn the_windows_image_is_replaced_by_one_drawn_here() {
        let forged = SignatureDraft::Signed(SignedDraft {
            width: PAD_WIDTH,
            height: PAD_HEIGHT,
            strokes: wave(),
            png_base64: "bm90IGEgc2lnbmF0dXJl".into(),
        });
        let SignatureDraft::Signed(SignedDraft { png_base64, .. }) =
            rendered(&forged, "biometrics.signature").unwrap()
        else {
            panic!("still signed");
        };
        assert_eq!(
            png_base64,
            render(PAD_WIDTH, PAD_HEIGHT, &wave(), "x").unwrap()
        );
        let cannot = SignatureDraft::CannotSign(passport_domain::biometrics::CannotSignDraft {
            reason: "niepełnosprawność".into(),
        });
        assert_eq!(rendered(&cannot, "biometrics.signature").unwrap(), cannot);
        let image = SignatureDraft::Image(passport_domain::biometrics::SignatureImageDraft {
            png_base64: png_base64.clone(),
        });
        match rendered(&image, "biometrics.signature").unwrap_err() {
            CoreError::Invalid(v) => assert_eq!(v.0[0].code, "signature.image_from_window"),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn bad_strokes_are_refused_at_the_field() {
        let mut s = wave();
        s[0][3].y = PAD_HEIGHT;
        assert_eq!(
            code(check(PAD_WIDTH, PAD_HEIGHT, &s, "signature")),
            "signature.point_outside"
        );
        let tap = vec![vec![pt(10, 10, 0), pt(12, 11, 5)]];
        assert_eq!(
            code(check(PAD_WIDTH, PAD_HEIGHT, &tap, "signature")),
            "signature.empty"
        );
        assert_eq!(
            code(check(PAD_WIDTH, PAD_HEIGHT, &[], "signature")),
            "signature.empty"
        );
        assert_eq!(
            code(check(0, PAD_HEIGHT, &wave(), "signature")),
            "signature.pad_size"
        );
        let zigzag = vec![
            (0..2000u32)
                .map(|i| pt(if i % 2 == 0 { 0 } else { 999 }, 150, i))
                .collect(),
        ];
        assert_eq!(
            code(check(PAD_WIDTH, PAD_HEIGHT, &zigzag, "signature")),
            "signature.too_long"
        );
    }

    #[test]
    fn the_worst_accepted_signature_draws_quickly() {
        // As much ink as is allowed, in long diagonals, on the largest pad.
        let side = passport_domain::biometrics::MAX_PAD_SIDE;
        let diagonal = f64::from(side) * std::f64::consts::SQRT_2;
        let n = (MAX_INK_WIDTHS / std::f64::consts::SQRT_2) as u32;
        let stroke: Vec<_> = (0..n)
            .map(|i| {
                if i % 2 == 0 {
                    pt(0, 0, i)
                } else {
                    pt(side - 1, side - 1, i)
                }
            })
            .collect();
        let s = check(side, side, &[stroke], "signature").unwrap();
        let started = std::time::Instant::now();
        render_png(&s).unwrap();
        let took = started.elapsed();
        println!("worst signature ({n} diagonals of {diagonal:.0} px) drawn in {took:?}");
        assert!(took < std::time::Duration::from_secs(20), "{took:?}");
    }

    fn hostile_point() -> impl Strategy<Value = StrokePoint> {
        (
            prop_oneof![0..1100u16, Just(u16::MAX), Just(0)],
            prop_oneof![0..400u16, Just(u16::MAX)],
            prop_oneof![0..20_000u32, Just(u32::MAX)],
        )
            .prop_map(|(x, y, t_ms)| StrokePoint { x, y, t_ms })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Whatever arrives, checking and drawing never panic; what passes
        /// the check is a PNG of the pad's size.
        #[test]
        fn hostile_strokes_never_panic(
            width in prop_oneof![Just(0u16), 1..1200u16, Just(u16::MAX)],
            height in prop_oneof![Just(0u16), 1..400u16, Just(u16::MAX)],
            strokes in proptest::collection::vec(
                proptest::collection::vec(hostile_point(), 0..40), 0..8)
        ) {
            if let Ok(b64) = render(width, height, &strokes, "signature") {
                let png = BASE64.decode(b64).unwrap();
                let info = passport_domain::photo::inspect(&png).unwrap();
                prop_assert_eq!((info.width, info.height), (u32::from(width), u32::from(height)));
            }
        }

        /// Points on the pad, time going forward: drawn when they pass,
        /// with ink.
        #[test]
        fn strokes_on_the_pad_draw(
            strokes in proptest::collection::vec(
                proptest::collection::vec((0..PAD_WIDTH, 0..PAD_HEIGHT), 1..60),
                1..10)
        ) {
            let strokes: Vec<Vec<StrokePoint>> = strokes
                .into_iter()
                .map(|st| st.into_iter().map(|(x, y)| pt(x, y, 0)).collect())
                .collect();
            if let Ok(checked) = check(PAD_WIDTH, PAD_HEIGHT, &strokes, "signature") {
                let px = draw(&checked);
                prop_assert!(px.iter().any(|&v| v < 128), "a signature that passed has ink");
            }
        }
    }
}
