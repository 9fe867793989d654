//! A synthetic face photo, JPEG-encoded: a real image for DG2 (the app
//! decodes and shows it), about 20 KB like a passport's.

/// A 240×320 JPEG of a drawn face; `seed` varies the texture.
pub fn jpeg(seed: u64) -> anyhow::Result<(Vec<u8>, u16, u16)> {
    const W: u16 = 240;
    const H: u16 = 320;
    let mut rgb = Vec::with_capacity(usize::from(W) * usize::from(H) * 3);
    let mut noise = seed | 1;
    for y in 0..i32::from(H) {
        for x in 0..i32::from(W) {
            // xorshift: a little grain, as a scanned photo has.
            noise ^= noise << 13;
            noise ^= noise >> 7;
            noise ^= noise << 17;
            let grain = (noise % 13) as i32 - 6;
            let (dx, dy) = (x - 120, y - 165);
            let face = dx * dx * 100 / (70 * 70) + dy * dy * 100 / (95 * 95) <= 100;
            let hair = y < 150
                && dx * dx * 100 / (82 * 82) + (y - 140) * (y - 140) * 100 / (90 * 90) <= 100;
            let eye = (y - 150).abs() < 7 && ((x - 95).abs() < 11 || (x - 145).abs() < 11);
            let mouth = (y - 215).abs() < 4 && (x - 120).abs() < 24;
            let shoulders = y > 260 && dx.abs() < 110 + (y - 260);
            let (r, g, b) = if eye {
                (40, 50, 70)
            } else if mouth {
                (150, 70, 70)
            } else if face && !(hair && y < 105) {
                (224 - y / 8, 182 - y / 10, 150 - y / 12)
            } else if hair {
                (70, 50, 35)
            } else if shoulders {
                (40, 60, 110)
            } else {
                (225 - y / 10, 228 - y / 12, 232)
            };
            for c in [r, g, b] {
                rgb.push((c + grain).clamp(0, 255) as u8);
            }
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90).encode(&rgb, W, H, jpeg_encoder::ColorType::Rgb)?;
    Ok((out, W, H))
}
