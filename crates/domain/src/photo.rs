//! The applicant's photo: format, size and content checks on the file's bytes.
//!
//! Reading the file is the caller's job; this module only looks at the bytes
//! so the UI, `counterctl` and the register simulator refuse the same photos.
//! [`inspect`] reads the header alone; [`validate`] decodes the whole image
//! (decoding bytes is not I/O), so a truncated or corrupt file, or a blank
//! page from the scanner, is refused at the counter rather than by the
//! register weeks later. The decoding is bounded: the byte size and the
//! dimensions the header declares are checked before anything is allocated
//! for the pixels.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhotoFormat {
    Jpeg,
    Png,
}

impl PhotoFormat {
    pub fn mime(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "image/jpeg",
            PhotoFormat::Png => "image/png",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoInfo {
    pub format: PhotoFormat,
    pub width: u32,
    pub height: u32,
}

/// The default largest photo file, in bytes: also what callers reading a
/// photo file cap their read at, so nothing larger is held in memory.
pub const PHOTO_MAX_BYTES: usize = 5 * 1024 * 1024;

/// Limits on the photo. The defaults follow the 35×45 mm passport photo at
/// the resolution gov.pl asks for in e-applications (at least 492×633 px).
/// Fields missing from stored rules take their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhotoRules {
    pub min_width: u32,
    pub min_height: u32,
    /// Width / height, 35/45 for a passport photo.
    pub aspect: f64,
    /// How far the aspect may stray, as a fraction of it.
    pub aspect_tolerance: f64,
    pub max_bytes: usize,
    /// The largest width and height a header may declare. Decoding needs
    /// memory in proportion to width × height, and a few hundred bytes of
    /// header can declare 65535×65535: checked before decoding.
    pub max_width: u32,
    pub max_height: u32,
    /// Below this standard deviation of luminance (0–255) the image is
    /// taken as blank: an empty scanner bed, a white or black page. A real
    /// portrait on a light background is far above it.
    pub min_luma_stddev: f64,
}

impl Default for PhotoRules {
    fn default() -> Self {
        Self {
            min_width: 492,
            min_height: 633,
            aspect: 35.0 / 45.0,
            aspect_tolerance: 0.03,
            max_bytes: PHOTO_MAX_BYTES,
            max_width: 6000,
            max_height: 6000,
            min_luma_stddev: 8.0,
        }
    }
}

/// Reads the format and the pixel size from a JPEG or PNG header.
pub fn inspect(bytes: &[u8]) -> Option<PhotoInfo> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        let be =
            |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        return Some(PhotoInfo {
            format: PhotoFormat::Png,
            width: be(16),
            height: be(20),
        });
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return jpeg_size(bytes).map(|(width, height)| PhotoInfo {
            format: PhotoFormat::Jpeg,
            width,
            height,
        });
    }
    None
}

fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if (0xD0..=0xD9).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let is_sof = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if is_sof {
            if i + 9 > b.len() {
                return None;
            }
            let h = u32::from(u16::from_be_bytes([b[i + 5], b[i + 6]]));
            let w = u32::from(u16::from_be_bytes([b[i + 7], b[i + 8]]));
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}

/// The blank check looks at every 4th pixel of every 4th row: a
/// sixteenth of a photo is tens of thousands of samples, plenty to tell a
/// portrait from a uniform page, and it keeps validation fast in debug
/// builds, where the journal and sync tests validate hundreds of drafts.
/// Every pixel is still decoded.
const SAMPLE_STEP: usize = 4;

/// What decoding found: the luminance statistics of the sampled pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Luma {
    pixels: u64,
    sum: u64,
    sum_sq: u64,
}

impl Luma {
    fn new() -> Self {
        Self {
            pixels: 0,
            sum: 0,
            sum_sq: 0,
        }
    }

    fn add(&mut self, y: u8) {
        let y = u64::from(y);
        self.pixels += 1;
        self.sum += y;
        self.sum_sq += y * y;
    }

    fn stddev(&self) -> f64 {
        if self.pixels == 0 {
            return 0.0;
        }
        // u64 → f64 loses nothing that matters at these magnitudes.
        let n = self.pixels as f64;
        let mean = self.sum as f64 / n;
        (self.sum_sq as f64 / n - mean * mean).max(0.0).sqrt()
    }
}

/// Rec. 601 luminance of an 8-bit RGB pixel composited over white by its
/// alpha, so a fully transparent image counts as blank.
fn luma(r: u8, g: u8, b: u8, a: u8) -> u8 {
    let y = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
    let a = u32::from(a);
    // ≤ 255 by construction.
    u8::try_from((y * a + 255 * (255 - a)) / 255).unwrap_or(u8::MAX)
}

/// The luminance of every pixel, or `None` if the PNG is truncated or corrupt.
fn decode_png(bytes: &[u8], info: &PhotoInfo) -> Option<Luma> {
    use png::{ColorType, Decoder, Limits, Transformations};
    // Row by row: memory stays at a few rows whatever the image's size;
    // the limit bounds the decoder's own buffers (rows, metadata chunks).
    let limits = Limits { bytes: 16 << 20 };
    let mut decoder = Decoder::new_with_limits(std::io::Cursor::new(bytes), limits);
    decoder.set_transformations(Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let (color, _) = reader.output_color_type();
    let channels = match color {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        // `normalize_to_color8` expands palettes.
        ColorType::Indexed => return None,
    };
    let mut stats = Luma::new();
    let mut pixels = 0u64;
    let mut row_index = 0usize;
    while let Some(row) = reader.next_row().ok()? {
        let data = row.data();
        pixels += (data.len() / channels) as u64;
        row_index += 1;
        if !row_index.is_multiple_of(SAMPLE_STEP) {
            continue;
        }
        for px in data.chunks_exact(channels).step_by(SAMPLE_STEP) {
            let y = match *px {
                [g] => g,
                [g, a] => luma(g, g, g, a),
                [r, g, b] => luma(r, g, b, 255),
                [r, g, b, a] => luma(r, g, b, a),
                _ => 0,
            };
            stats.add(y);
        }
    }
    // A file cut after the pixels but before IEND is truncated all the same.
    reader.finish().ok()?;
    let expected = u64::from(info.width) * u64::from(info.height);
    (pixels == expected).then_some(stats)
}

/// The luminance of every pixel, or `None` if the JPEG is truncated or corrupt.
fn decode_jpeg(bytes: &[u8], info: &PhotoInfo, rules: &PhotoRules) -> Option<Luma> {
    use zune_jpeg::JpegDecoder;
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let to_usize = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
    // Strict: without it the decoder fills a truncated image with grey and
    // reports success. Luma output: one byte a pixel, and it is all the
    // blank check needs.
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(to_usize(rules.max_width))
        .set_max_height(to_usize(rules.max_height))
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().ok()?;
    // The size the checks used is the header's as `inspect` read it: a
    // decoder that finds another frame size is looking at a malformed file.
    let found = decoder.info()?;
    if (u32::from(found.width), u32::from(found.height)) != (info.width, info.height) {
        return None;
    }
    let size = decoder.output_buffer_size()?;
    let mut out = vec![0u8; size];
    decoder.decode_into(&mut out).ok()?;
    let width = usize::try_from(info.width).ok()?.max(1);
    let mut stats = Luma::new();
    for row in out.chunks(width).step_by(SAMPLE_STEP) {
        for &y in row.iter().step_by(SAMPLE_STEP) {
            stats.add(y);
        }
    }
    Some(stats)
}

/// Checks a photo's bytes against `rules`; every problem is reported at `path`.
///
/// In order, each stopping the checks: the format (`photo.format`), a
/// header that cannot be read (`photo.corrupt`), the byte size
/// (`photo.too_large`), the declared dimensions (`photo.dimensions_too_large`),
/// decoding every pixel (`photo.corrupt`). Then, all reported together: the
/// resolution (`photo.resolution`), the proportions (`photo.aspect`) and a
/// blank image (`photo.blank`).
pub fn validate(
    bytes: &[u8],
    rules: &PhotoRules,
    path: &str,
) -> Result<PhotoInfo, Vec<FieldError>> {
    let is_png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    let is_jpeg = bytes.starts_with(&[0xFF, 0xD8]);
    if !is_png && !is_jpeg {
        return Err(vec![FieldError::new(
            path,
            "photo.format",
            "Zdjęcie musi być plikiem JPEG lub PNG.",
            "The photo must be a JPEG or PNG file.",
        )]);
    }
    let corrupt = || {
        FieldError::new(
            path,
            "photo.corrupt",
            "Plik zdjęcia jest uszkodzony lub niekompletny — zeskanuj lub zapisz zdjęcie ponownie.",
            "The photo file is damaged or incomplete — scan or save the photo again.",
        )
    };
    let Some(info) = inspect(bytes) else {
        return Err(vec![corrupt()]);
    };
    if bytes.len() > rules.max_bytes {
        return Err(vec![FieldError::new(
            path,
            "photo.too_large",
            format!(
                "Plik zdjęcia jest za duży (najwyżej {} KB).",
                rules.max_bytes / 1024
            ),
            format!(
                "The photo file is too large (at most {} KB).",
                rules.max_bytes / 1024
            ),
        )]);
    }
    if info.width > rules.max_width || info.height > rules.max_height {
        return Err(vec![FieldError::new(
            path,
            "photo.dimensions_too_large",
            format!(
                "Zdjęcie ma {}×{} pikseli; dopuszczalne najwyżej {}×{}.",
                info.width, info.height, rules.max_width, rules.max_height
            ),
            format!(
                "The photo is {}×{} pixels; at most {}×{} is allowed.",
                info.width, info.height, rules.max_width, rules.max_height
            ),
        )]);
    }
    let decoded = match info.format {
        PhotoFormat::Png => decode_png(bytes, &info),
        PhotoFormat::Jpeg => decode_jpeg(bytes, &info, rules),
    };
    let Some(luma) = decoded else {
        return Err(vec![corrupt()]);
    };
    let mut errors = Vec::new();
    if info.width < rules.min_width || info.height < rules.min_height {
        errors.push(FieldError::new(
            path,
            "photo.resolution",
            format!(
                "Zdjęcie ma {}×{} pikseli; wymagane co najmniej {}×{}.",
                info.width, info.height, rules.min_width, rules.min_height
            ),
            format!(
                "The photo is {}×{} pixels; at least {}×{} is required.",
                info.width, info.height, rules.min_width, rules.min_height
            ),
        ));
    }
    let aspect = f64::from(info.width) / f64::from(info.height.max(1));
    if (aspect - rules.aspect).abs() > rules.aspect * rules.aspect_tolerance {
        errors.push(FieldError::new(
            path,
            "photo.aspect",
            "Zdjęcie musi mieć proporcje 35×45 mm (pionowe).",
            "The photo must have the 35×45 mm (portrait) proportions.",
        ));
    }
    if luma.stddev() < rules.min_luma_stddev {
        errors.push(FieldError::new(
            path,
            "photo.blank",
            "Zdjęcie jest jednolite (puste) — sprawdź, czy zdjęcie leżało w skanerze właściwą stroną.",
            "The photo is uniform (blank) — check that the photo lay in the scanner the right way up.",
        ));
    }
    if errors.is_empty() {
        Ok(info)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PNG header of the given size: enough for `inspect`, not a photo.
    pub(crate) fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 2, 0, 0, 0]);
        v
    }

    fn jpeg_header(w: u16, h: u16) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46];
        v.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&[0; 12]);
        v
    }

    /// RGB pixels of a light background with a darker oval "face": what a
    /// scanned portrait looks like to the blank check. `flat` gives one
    /// grey instead.
    fn pixels(w: u32, h: u32, flat: bool) -> Vec<u8> {
        let mut v = Vec::with_capacity((w * h * 3) as usize);
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (
                    f64::from(x) / f64::from(w) - 0.5,
                    f64::from(y) / f64::from(h) - 0.45,
                );
                let inside = dx * dx / 0.09 + dy * dy / 0.1 < 1.0;
                let g = if flat {
                    200
                } else if inside {
                    90 + (x % 40) as u8
                } else {
                    215 + (y % 30) as u8
                };
                v.extend_from_slice(&[g, g, g.saturating_sub(10)]);
            }
        }
        v
    }

    pub(crate) fn png(w: u32, h: u32, flat: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(&pixels(w, h, flat)).unwrap();
        writer.finish().unwrap();
        out
    }

    pub(crate) fn jpeg(w: u16, h: u16, flat: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let data = pixels(u32::from(w), u32::from(h), flat);
        jpeg_encoder::Encoder::new(&mut out, 85)
            .encode(&data, w, h, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    }

    fn codes(b: &[u8]) -> Vec<String> {
        match validate(b, &PhotoRules::default(), "photo") {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|e| e.code).collect(),
        }
    }

    #[test]
    fn reads_sizes() {
        assert_eq!(inspect(&png_header(700, 900)).unwrap().width, 700);
        let j = inspect(&jpeg_header(492, 633)).unwrap();
        assert_eq!((j.format, j.width, j.height), (PhotoFormat::Jpeg, 492, 633));
        assert_eq!(inspect(b"GIF89a"), None);
    }

    #[test]
    fn real_photos_pass() {
        assert_eq!(codes(&png(700, 900, false)), Vec::<String>::new());
        assert_eq!(codes(&jpeg(700, 900, false)), Vec::<String>::new());
        let info = validate(&jpeg(700, 900, false), &PhotoRules::default(), "photo").unwrap();
        assert_eq!(
            (info.format, info.width, info.height),
            (PhotoFormat::Jpeg, 700, 900)
        );
    }

    #[test]
    fn checks_resolution_and_aspect() {
        assert_eq!(codes(&png(350, 450, false)), ["photo.resolution"]);
        assert_eq!(codes(&png(900, 900, false)), ["photo.aspect"]);
        assert_eq!(codes(b"not an image"), ["photo.format"]);
    }

    #[test]
    fn a_header_alone_is_not_a_photo() {
        // Accepted before: only the header was read. The 12-byte JPEG is
        // SOI + SOF0 declaring 700×900 and nothing else.
        let twelve = [
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x03, 0x84, 0x02, 0xBC, 0x08,
        ];
        assert_eq!(
            inspect(&twelve).map(|i| (i.width, i.height)),
            Some((700, 900))
        );
        assert_eq!(codes(&twelve), ["photo.corrupt"]);
        assert_eq!(codes(&png_header(700, 900)), ["photo.corrupt"]);
        assert_eq!(codes(&jpeg_header(700, 900)), ["photo.corrupt"]);
        assert_eq!(codes(&[0xFF, 0xD8]), ["photo.corrupt"]);
    }

    #[test]
    fn truncated_and_damaged_photos_are_refused() {
        let j = jpeg(700, 900, false);
        assert_eq!(codes(&j[..j.len() / 2]), ["photo.corrupt"], "half a JPEG");
        assert_eq!(
            codes(&j[..j.len() - 200]),
            ["photo.corrupt"],
            "a JPEG less its tail"
        );
        let p = png(700, 900, false);
        assert_eq!(codes(&p[..p.len() / 2]), ["photo.corrupt"], "half a PNG");
        // Without IEND (the last 12 bytes) the file was cut short.
        assert_eq!(
            codes(&p[..p.len() - 12]),
            ["photo.corrupt"],
            "a PNG less IEND"
        );
        let mut flipped = p.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x55;
        assert_eq!(
            codes(&flipped),
            ["photo.corrupt"],
            "a PNG with a changed byte"
        );
    }

    #[test]
    fn oversize_is_refused_before_decoding() {
        let rules = PhotoRules::default();
        let mut big = png(700, 900, false);
        big.resize(rules.max_bytes + 1, 0);
        assert_eq!(codes(&big), ["photo.too_large"]);
        // 65535×65535 would need gigabytes: refused from the header, at once.
        let started = std::time::Instant::now();
        assert_eq!(
            codes(&png_header(65535, 65535)),
            ["photo.dimensions_too_large"]
        );
        assert_eq!(
            codes(&jpeg_header(65535, 65535)),
            ["photo.dimensions_too_large"]
        );
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
    }

    #[test]
    fn blank_photos_are_refused() {
        assert_eq!(codes(&png(700, 900, true)), ["photo.blank"]);
        assert_eq!(codes(&jpeg(700, 900, true)), ["photo.blank"]);
    }

    #[test]
    fn the_demo_and_example_photos_pass() {
        for bytes in [
            crate::demo::PHOTO_PNG,
            include_bytes!("../../../docs/examples/photo.png"),
        ] {
            assert_eq!(codes(bytes), Vec::<String>::new());
            // Well clear of the blank threshold, so tuning it a little
            // does not start refusing the demo office's photo.
            let info = inspect(bytes).unwrap();
            let sd = decode_png(bytes, &info).unwrap().stddev();
            println!(
                "demo photo: {}×{}, luminance sd {sd:.1}",
                info.width, info.height
            );
            assert!(sd > 3.0 * PhotoRules::default().min_luma_stddev, "{sd}");
        }
    }

    #[test]
    fn every_code_has_both_languages() {
        for b in [
            b"x".to_vec(),
            png_header(700, 900),
            png(100, 100, true),
            png_header(9000, 9000),
        ] {
            for e in validate(&b, &PhotoRules::default(), "photo").unwrap_err() {
                assert!(!e.message.pl.is_empty() && !e.message.en.is_empty());
                assert_eq!(e.path, "photo");
            }
        }
    }
}
