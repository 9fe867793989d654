//! Generated finger images: an 8-bit grey ridge pattern (concentric
//! ellipses bent by a whorl) inside a fingertip-shaped mask, deterministic
//! for a finger, an attempt and a quality, and never blank. A low quality
//! gives faint ridges under noise, as a dry or smudged finger does.

/// Image size in pixels: about 10×12.5 mm at 500 ppi, the scale of a flat
/// single-finger scanner.
pub const WIDTH: u32 = 200;
pub const HEIGHT: u32 = 250;

/// Grey pixels, row by row.
pub fn finger_pixels(finger: u8, attempt: u32, quality: u8) -> Vec<u8> {
    let mut seed = 0x9E37_79B9_u32
        .wrapping_mul(u32::from(finger) + 1)
        .wrapping_add(attempt.wrapping_mul(0x85EB_CA6B));
    let mut noise = move || {
        // xorshift32: deterministic, no dependency.
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % 256) as f32 / 255.0 - 0.5
    };
    let q = f32::from(quality.min(100)) / 100.0;
    let amplitude = 30.0 + 90.0 * q;
    let noise_level = 140.0 * (1.0 - q);
    let (cx, cy) = (WIDTH as f32 / 2.0, HEIGHT as f32 * 0.55);
    let period = 7.0 + f32::from(finger % 3);
    // Whole turns of the angle keep the pattern continuous where atan2
    // wraps round (a fractional twist leaves a seam).
    let twist = 1.0 + f32::from(finger % 2);
    let mut out = Vec::with_capacity((WIDTH * HEIGHT) as usize);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let (dx, dy) = ((x as f32 - cx) / 90.0, (y as f32 - cy) / 120.0);
            let inside = dx * dx + dy * dy <= 1.0;
            let n = noise();
            if !inside {
                out.push(245);
                continue;
            }
            let (px, py) = (x as f32 - cx, (y as f32 - cy) * 0.8);
            let r = (px * px + py * py).sqrt();
            let angle = py.atan2(px);
            let ridge = (r / period * std::f32::consts::TAU / 2.0 + angle * twist).sin();
            let v = 128.0 + amplitude * ridge + noise_level * n;
            out.push(v.clamp(0.0, 255.0) as u8);
        }
    }
    out
}

/// The same image as a PNG file.
pub fn finger_png(finger: u8, attempt: u32, quality: u8) -> anyhow::Result<Vec<u8>> {
    let pixels = finger_pixels(finger, attempt, quality);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}

/// The same image as a JPEG frame, for STREAM's preview.
pub fn finger_jpeg(finger: u8, frame: u32, quality: u8) -> anyhow::Result<Vec<u8>> {
    let pixels = finger_pixels(finger, frame, quality);
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 70).encode(
        &pixels,
        WIDTH as u16,
        HEIGHT as u16,
        jpeg_encoder::ColorType::Luma,
    )?;
    Ok(out)
}
