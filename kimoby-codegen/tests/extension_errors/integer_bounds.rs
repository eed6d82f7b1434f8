//! Integer parameter bounds: `minimum` above `maximum`, a `default`
//! outside them, a bound that is not a whole number.

use crate::*;

#[test]
fn minimum_above_maximum() {
    assert_manifest_error(
        |manifest| *at(manifest, "/components/parameters/PerPage/schema/minimum") = json!(60),
        "/components/parameters/PerPage/schema/maximum",
        "`maximum` 50 is below `minimum` 60",
    );
}

#[test]
fn default_outside_the_bounds() {
    assert_manifest_error(
        |manifest| *at(manifest, "/components/parameters/PerPage/schema/default") = json!(51),
        "/components/parameters/PerPage/schema/default",
        "`default` 51 is outside the bounds",
    );
}

#[test]
fn bound_that_is_not_a_whole_number() {
    assert_manifest_error(
        |manifest| *at(manifest, "/components/parameters/PerPage/schema/maximum") = json!(50.5),
        "/components/parameters/PerPage/schema/maximum",
        "`maximum` of an integer parameter must be a whole number, found `50.5`",
    );
}
