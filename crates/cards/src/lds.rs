//! The eMRTD's logical data structure (ICAO 9303 part 10): EF.COM, DG1 (the
//! MRZ), DG2 (the face) and the file identifiers. Both directions: parsing
//! for the reader, building for the virtual passport.

use crate::tlv::{self, Tlv, TlvError};
use serde::{Deserialize, Serialize};

/// The eMRTD application.
pub const AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];
pub const FID_ATR_INFO: [u8; 2] = [0x2F, 0x01];
pub const FID_COM: [u8; 2] = [0x01, 0x1E];
pub const FID_SOD: [u8; 2] = [0x01, 0x1D];

/// A data group's file identifier (DG1 is 0101, DG2 0102, …).
pub fn fid_of(dg: u8) -> [u8; 2] {
    [0x01, dg]
}

/// EF.COM's tag for each data group (DG1 = 61, DG2 = 75, …).
const DG_TAGS: [(u8, u8); 16] = [
    (1, 0x61),
    (2, 0x75),
    (3, 0x63),
    (4, 0x76),
    (5, 0x65),
    (6, 0x66),
    (7, 0x67),
    (8, 0x68),
    (9, 0x69),
    (10, 0x6A),
    (11, 0x6B),
    (12, 0x6C),
    (13, 0x6D),
    (14, 0x6E),
    (15, 0x6F),
    (16, 0x70),
];

/// The data groups EF.COM lists, by number.
pub fn parse_com(bytes: &[u8]) -> Result<Vec<u8>, TlvError> {
    let com = Tlv::parse_all(bytes)?.expect(0x60)?;
    let list = com.child(0x5C)?;
    Ok(list
        .value
        .iter()
        .filter_map(|t| DG_TAGS.iter().find(|(_, tag)| tag == t).map(|(dg, _)| *dg))
        .collect())
}

pub fn build_com(dgs: &[u8]) -> Vec<u8> {
    let tags: Vec<u8> = dgs
        .iter()
        .filter_map(|d| DG_TAGS.iter().find(|(dg, _)| dg == d).map(|(_, t)| *t))
        .collect();
    let mut v = tlv::encode(0x5F01, b"0107");
    v.extend(tlv::encode(0x5F36, b"040000"));
    v.extend(tlv::encode(0x5C, &tags));
    tlv::encode(0x60, &v)
}

/// DG1's MRZ text (88 characters for a passport).
pub fn parse_dg1(bytes: &[u8]) -> Result<String, TlvError> {
    let dg1 = Tlv::parse_all(bytes)?.expect(0x61)?;
    let mrz = dg1.child(0x5F1F)?;
    String::from_utf8(mrz.value.to_vec()).map_err(|_| TlvError("MRZ is not text"))
}

pub fn build_dg1(mrz: &str) -> Vec<u8> {
    tlv::encode(0x61, &tlv::encode(0x5F1F, mrz.as_bytes()))
}

/// The face image's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Jpeg,
    Jpeg2000,
    Unknown,
}

/// The first face image in DG2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Face {
    pub format: ImageFormat,
    pub width: u16,
    pub height: u16,
    pub data: Vec<u8>,
}

/// DG2 → biometric information group template (7F61) → first template
/// (7F60) → biometric data block (5F2E or 7F2E), an ISO/IEC 19794-5 record.
/// `None` when the block is another format (ISO/IEC 39794-5, which newer
/// chips carry): not shown, but not an error either; a block that says it
/// is a 19794-5 record ("FAC") must parse as one.
pub fn parse_dg2(bytes: &[u8]) -> Result<Option<Face>, TlvError> {
    let dg2 = Tlv::parse_all(bytes)?.expect(0x75)?;
    let group = dg2.child(0x7F61)?;
    let template = group.child(0x7F60)?;
    let block = template
        .children()?
        .into_iter()
        .find(|c| c.tag == 0x5F2E || c.tag == 0x7F2E)
        .ok_or(TlvError("no biometric data block"))?;
    if !block.value.starts_with(b"FAC\0") {
        return Ok(None);
    }
    parse_face_record(block.value).map(Some)
}

/// ISO/IEC 19794-5: a 14-byte general header, then per face a 20-byte
/// information block, 8 bytes per feature point, a 12-byte image block and
/// the image.
fn parse_face_record(rec: &[u8]) -> Result<Face, TlvError> {
    if rec.get(..4) != Some(b"FAC\0") {
        return Err(TlvError("not a face record"));
    }
    let points = rec
        .get(18..20)
        .map(|p| usize::from(u16::from_be_bytes([p[0], p[1]])))
        .ok_or(TlvError("face record too short"))?;
    let info = 14 + 20 + 8 * points;
    let image = rec
        .get(info..info + 12)
        .ok_or(TlvError("face record too short"))?;
    let data = rec[info + 12..].to_vec();
    let format = match (image[1], data.get(..3)) {
        (0, Some([0xFF, 0xD8, 0xFF])) => ImageFormat::Jpeg,
        (1, _) => ImageFormat::Jpeg2000,
        _ => ImageFormat::Unknown,
    };
    Ok(Face {
        format,
        width: u16::from_be_bytes([image[2], image[3]]),
        height: u16::from_be_bytes([image[4], image[5]]),
        data,
    })
}

/// A DG2 holding one JPEG face.
pub fn build_dg2(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut rec = b"FAC\x00010\x00".to_vec();
    let total = (14 + 20 + 12 + jpeg.len()) as u32;
    rec.extend(total.to_be_bytes());
    rec.extend(1u16.to_be_bytes());
    // Facial information: block length, no feature points, gender, eyes,
    // hair unspecified, no feature mask, neutral expression, frontal pose.
    rec.extend((20 + 12 + jpeg.len() as u32).to_be_bytes());
    rec.extend([0u8; 16]);
    // Image information: full frontal, JPEG, size, sRGB, static photo.
    rec.extend([1, 0]);
    rec.extend(width.to_be_bytes());
    rec.extend(height.to_be_bytes());
    rec.extend([1, 2, 0, 0, 0, 0]);
    rec.extend_from_slice(jpeg);

    let header = tlv::encode(
        0xA1,
        &[
            tlv::encode(0x80, &[1, 1]),
            tlv::encode(0x87, &[1, 1]),
            tlv::encode(0x88, &[0, 8]),
        ]
        .concat(),
    );
    let template = tlv::encode(0x7F60, &[header, tlv::encode(0x5F2E, &rec)].concat());
    let group = tlv::encode(0x7F61, &[tlv::encode(0x02, &[1]), template].concat());
    tlv::encode(0x75, &group)
}

/// EF.ATR/INFO's extended-length information (7F66): the largest response
/// the chip sends in one APDU, if it says.
pub fn parse_max_response(atr_info: &[u8]) -> Option<usize> {
    let objects = tlv::sequence(atr_info).ok()?;
    let info = objects.iter().find(|o| o.tag == 0x7F66)?;
    let lens: Vec<usize> = info
        .children()
        .ok()?
        .iter()
        .filter(|c| c.tag == 0x02)
        .map(|c| {
            c.value
                .iter()
                .fold(0usize, |a, &b| (a << 8) | usize::from(b))
        })
        .collect();
    lens.get(1).copied()
}

pub fn build_atr_info(max_command: u16, max_response: u16) -> Vec<u8> {
    tlv::encode(
        0x7F66,
        &[
            tlv::encode(0x02, &max_command.to_be_bytes()),
            tlv::encode(0x02, &max_response.to_be_bytes()),
        ]
        .concat(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip() {
        assert_eq!(parse_com(&build_com(&[1, 2])).unwrap(), vec![1, 2]);
        let mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        assert_eq!(parse_dg1(&build_dg1(mrz)).unwrap(), mrz);
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9];
        let face = parse_dg2(&build_dg2(&jpeg, 240, 320)).unwrap().unwrap();
        assert_eq!(
            (face.format, face.width, face.height),
            (ImageFormat::Jpeg, 240, 320)
        );
        assert_eq!(face.data, jpeg);
        assert_eq!(
            parse_max_response(&build_atr_info(0x0400, 0x1000)),
            Some(0x1000)
        );
        // A JPEG 2000 face is recognised (the app says it cannot show it).
        let mut dg2 = build_dg2(&[0, 0, 0, 0x0C, b'j', b'P'], 240, 320);
        let at = dg2.len() - 6 - 11;
        dg2[at] = 1; // image data type: JPEG 2000
        assert_eq!(
            parse_dg2(&dg2).unwrap().unwrap().format,
            ImageFormat::Jpeg2000
        );
        // A face record cut short is an error, not a panic.
        let record = Tlv::parse_all(&dg2)
            .unwrap()
            .child(0x7F61)
            .unwrap()
            .child(0x7F60)
            .unwrap()
            .child(0x5F2E)
            .unwrap()
            .value
            .to_vec();
        for len in [0, 3, 17, 30, 45] {
            assert!(parse_face_record(&record[..len]).is_err(), "{len}");
        }
    }
}
