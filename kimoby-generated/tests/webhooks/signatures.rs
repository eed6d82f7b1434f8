//! Signatures: the openssl vectors sign and verify, accepted whitespace,
//! every kind of mismatch and malformed header, and errors that never show
//! the key.

use super::*;

#[test]
fn openssl_vectors_sign_and_verify() {
    for v in VECTORS {
        let key = WebhookKey::new(v.key);
        assert_eq!(sign(v.url, v.body.as_bytes(), &key), v.signature, "{}", v.url);
        assert_eq!(
            verify(v.url, v.body.as_bytes(), Some(v.signature.as_bytes()), &key),
            Ok(()),
            "{}",
            v.url
        );
        let verifier = WebhookVerifier::new(v.url, key);
        assert_eq!(verifier.verify(v.body.as_bytes(), Some(v.signature.as_bytes())), Ok(()));
        assert_eq!(verifier.sign(v.body.as_bytes()), v.signature);
    }
}

#[test]
fn surrounding_whitespace_and_ruby_trailing_newline_are_accepted() {
    for v in VECTORS {
        let key = WebhookKey::new(v.key);
        for header in [
            format!("{}\n", v.signature), // Base64.encode64
            format!("{}\r\n", v.signature),
            format!("  {}\t", v.signature),
        ] {
            assert_eq!(
                verify(v.url, v.body.as_bytes(), Some(header.as_bytes()), &key),
                Ok(()),
                "{header:?}"
            );
        }
    }
}

#[test]
fn tampered_body_is_a_mismatch() {
    for v in VECTORS {
        let key = WebhookKey::new(v.key);
        let sig = Some(v.signature.as_bytes());
        let mut appended = v.body.as_bytes().to_vec();
        appended.push(b' ');
        assert_eq!(verify(v.url, &appended, sig, &key), Err(SignatureError::Mismatch));
        if let Some((_, rest)) = v.body.as_bytes().split_first() {
            assert_eq!(verify(v.url, rest, sig, &key), Err(SignatureError::Mismatch));
        }
    }
    let tampered = MESSAGE_CREATED_EXAMPLE.replace("queued", "failed");
    assert_eq!(
        verify(URL, tampered.as_bytes(), Some(b"47WM3hksM79183T44c1a5x5dTQ0="), &key()),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn wrong_key_is_a_mismatch() {
    let v = &VECTORS[0];
    for wrong in [
        "1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxx",
        "1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhx",
        "1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw\n",
        "",
    ] {
        assert_eq!(
            verify(
                v.url,
                v.body.as_bytes(),
                Some(v.signature.as_bytes()),
                &WebhookKey::new(wrong)
            ),
            Err(SignatureError::Mismatch),
            "{wrong:?}"
        );
    }
}

#[test]
fn wrong_url_is_a_mismatch() {
    let v = &VECTORS[2]; // signed for ...?tenant=42&mode=live
    for wrong in [
        "https://your.app.com/webhook/path",
        "https://your.app.com/webhook/path?tenant=42",
        "https://your.app.com/webhook/path?mode=live&tenant=42",
        "http://your.app.com/webhook/path?tenant=42&mode=live",
        "https://your.app.com/webhook/path/?tenant=42&mode=live",
        "https://YOUR.app.com/webhook/path?tenant=42&mode=live",
    ] {
        assert_eq!(
            verify(wrong, v.body.as_bytes(), Some(v.signature.as_bytes()), &key()),
            Err(SignatureError::Mismatch),
            "{wrong}"
        );
    }
}

#[test]
fn truncated_signatures_are_malformed() {
    let v = &VECTORS[0];
    let body = v.body.as_bytes();
    let sig = v.signature.as_bytes();
    // Lost its padding, or cut inside a 4-character group: not base64.
    for cut in [27, 26, 25, 10, 1] {
        assert_eq!(
            verify(v.url, body, Some(&sig[..cut]), &key()),
            Err(SignatureError::Malformed(MalformedSignature::NotBase64)),
            "{cut}"
        );
    }
    // Cut on a group boundary: valid base64, too short for an HMAC-SHA1.
    assert_eq!(
        verify(v.url, body, Some(&sig[..24]), &key()),
        Err(SignatureError::Malformed(MalformedSignature::WrongLength { len: 18 }))
    );
    assert_eq!(
        verify(v.url, body, Some(&sig[..4]), &key()),
        Err(SignatureError::Malformed(MalformedSignature::WrongLength { len: 3 }))
    );
}

#[test]
fn empty_and_missing_signatures() {
    let v = &VECTORS[0];
    for empty in [&b""[..], b"\n", b"   "] {
        assert_eq!(
            verify(v.url, v.body.as_bytes(), Some(empty), &key()),
            Err(SignatureError::Malformed(MalformedSignature::Empty))
        );
    }
    assert_eq!(
        verify(v.url, v.body.as_bytes(), None, &key()),
        Err(SignatureError::Missing)
    );
}

#[test]
fn malformed_headers_are_not_base64() {
    let v = &VECTORS[0];
    for bad in [
        &b"uMgBqH8u1ruXB7Y3veSuMi1oios"[..], // unpadded
        b"uMgBqH8u1ruXB7Y3veSuMi1oios==",    // over-padded
        b"sha1=uMgBqH8u1ruXB7Y3veSuMi1oios=",
        b"uMgBqH8u1ruXB7Y3\nveSuMi1oios=", // inner newline
        b"\xc3\x28\xff",                   // not UTF-8
    ] {
        assert_eq!(
            verify(v.url, v.body.as_bytes(), Some(bad), &key()),
            Err(SignatureError::Malformed(MalformedSignature::NotBase64)),
            "{bad:?}"
        );
    }
}

#[test]
fn errors_and_debug_never_show_the_key() {
    let v = &VECTORS[0];
    let verifier = WebhookVerifier::new(v.url, key());
    let mut shown = vec![
        format!("{:?}", key()),
        format!("{verifier:?}"),
        format!("{verifier:#?}"),
    ];
    for header in [
        None,
        Some(&b""[..]),
        Some(b"!"),
        Some(b"AAAA"),
        Some(b"uMgBqH8u1ruXB7Y3veSuMi1oioA="),
    ] {
        let error = verifier.verify(b"{}", header).unwrap_err();
        shown.push(format!("{error} {error:?}"));
    }
    for text in &shown {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains(&KEY[..8]), "{text}");
    }
    assert!(shown[1].contains(URL), "the URL is not secret: {}", shown[1]);
}

#[test]
fn header_name_is_the_documented_one() {
    assert_eq!(SIGNATURE_HEADER, "X-Kimoby-Signature");
}
