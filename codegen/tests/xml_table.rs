//! The XML protocols' shape table and what resolves with it (issue #27): names as
//! botocore merges them, serde keys, paginator tokens of the rest-xml models.

use awsgen_codegen::Config;

/// The generated code of a query model whose output member names nothing itself while
/// its list shape has a `locationName` (ElastiCache's `PendingLogDeliveryConfigurationList`):
/// botocore merges the shape's name under the member's, for the XML element and the form.
#[test]
fn a_shapes_location_name_names_its_members_element() {
    let dir = std::env::temp_dir().join(format!("awsgen-query-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("service-2.json"),
        r#"{"metadata": {"protocol": "query", "apiVersion": "2015-02-02", "endpointPrefix": "q",
             "serviceId": "Q", "signatureVersion": "v4", "uid": "q-2015-02-02"},
           "operations": {"Op": {"name": "Op", "input": {"shape": "In"},
                                 "output": {"shape": "Out", "resultWrapper": "OpResult"}}},
           "shapes": {
             "In": {"type": "structure", "members": {"Configs": {"shape": "ConfigList"}}},
             "Out": {"type": "structure", "members": {"Configs": {"shape": "ConfigList"}}},
             "ConfigList": {"type": "list", "member": {"shape": "Name"}, "locationName": "PendingConfig"},
             "Name": {"type": "string"}
           }}"#,
    )
    .unwrap();
    let code = Config::new().model(&dir).generate().unwrap().code;
    std::fs::remove_dir_all(&dir).unwrap();
    // The serde key stays the member's name; the element and the form key are the shape's.
    let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(r#"serde: "Configs", xml: "PendingConfig", query: "PendingConfig","#),
        "{}",
        flat.split("Member {")
            .skip(1)
            .map(|m| &m[..m.len().min(160)])
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Generates a rest-xml model (`shapes`, one operation `Op` with input `In` and output
/// `Out`, `paginators` as the paginators file) and returns the code, whitespace folded.
fn rest_xml(name: &str, shapes: &str, paginators: Option<&str>) -> String {
    let dir = std::env::temp_dir().join(format!("awsgen-xml-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("service-2.json"),
        format!(
            r#"{{"metadata": {{"protocol": "rest-xml", "apiVersion": "2006-03-01", "endpointPrefix": "x",
                 "serviceId": "X", "signatureVersion": "v4", "uid": "x-2006-03-01"}},
               "operations": {{"Op": {{"name": "Op", "http": {{"method": "GET", "requestUri": "/"}},
                                     "input": {{"shape": "In"}}, "output": {{"shape": "Out"}}}}}},
               "shapes": {{{shapes}}}}}"#
        ),
    )
    .unwrap();
    if let Some(p) = paginators {
        std::fs::write(dir.join("paginators-1.json"), p).unwrap();
    }
    let code = Config::new().model(&dir).generate().unwrap().code;
    std::fs::remove_dir_all(&dir).unwrap();
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// S3's deprecated `TopicConfigurationDeprecated`: a member `Event` and a flattened list
/// `Events` whose elements are named `Event` too. Both read the same elements, but the
/// serde form needs two keys: the list takes its member name (a regression: both were
/// `"Event"`, and the generated `Deserialize` did not compile; then, with the list
/// first, the string became `Event#2`).
#[test]
fn members_that_share_an_element_name_get_their_own_serde_keys() {
    let code = rest_xml(
        "keys",
        r#""In": {"type": "structure", "members": {}},
           "Out": {"type": "structure", "members": {
             "Event": {"shape": "Name"},
             "Events": {"shape": "Names", "locationName": "Event"}}},
           "Names": {"type": "list", "member": {"shape": "Name"}, "flattened": true},
           "Name": {"type": "string"}"#,
        None,
    );
    assert!(code.contains(r#"serde: "Event", xml: "Event""#), "{code}");
    assert!(code.contains(r#"serde: "Events", xml: "Event""#), "{code}");
    // The output's serde reads both keys (its member names, in model order).
    assert!(
        code.contains(r#"NAMES: &[&str] = &["Event", "Events"]"#),
        "{code}"
    );
    // The list first (S3's `TopicConfigurationDeprecated`): the same keys, whatever the
    // order: the member renamed by its `locationName` takes its own name.
    let code = rest_xml(
        "keys-reversed",
        r#""In": {"type": "structure", "members": {}},
           "Out": {"type": "structure", "members": {
             "Events": {"shape": "Names", "locationName": "Event"},
             "Event": {"shape": "Name"}}},
           "Names": {"type": "list", "member": {"shape": "Name"}, "flattened": true},
           "Name": {"type": "string"}"#,
        None,
    );
    assert!(code.contains(r#"serde: "Events", xml: "Event""#), "{code}");
    assert!(code.contains(r#"serde: "Event", xml: "Event""#), "{code}");
}

/// S3's ListObjects: `output_token` is `NextMarker || Contents[-1].Key`, the first of two
/// paths that is present (a regression: the generator refused the expression).
#[test]
fn a_token_may_be_the_first_present_of_two_paths() {
    let code = rest_xml(
        "alternatives",
        r#""In": {"type": "structure", "members": {"Marker": {"shape": "Name", "location": "querystring", "locationName": "marker"}}},
           "Out": {"type": "structure", "members": {
             "NextMarker": {"shape": "Name"},
             "Contents": {"shape": "Objects", "flattened": true}}},
           "Objects": {"type": "list", "member": {"shape": "Object"}, "flattened": true},
           "Object": {"type": "structure", "members": {"Key": {"shape": "Name"}}},
           "Name": {"type": "string"}"#,
        Some(
            r#"{"pagination": {"Op": {"input_token": "Marker",
                "output_token": "NextMarker || Contents[-1].Key", "result_key": "Contents"}}}"#,
        ),
    );
    assert!(
        code.contains("the `NextMarker || Contents[-1].Key` of each response"),
        "{code}"
    );
    assert!(code.contains(".or_else(||"), "{code}");
}

/// A service that models no fault (EC2) sorts every error as `Unhandled` without a
/// `match` of one wildcard arm, and a paginator's `more_results` test calls the token
/// check by path: the code is `include!`d into users' crates, where clippy's
/// `match_single_binding` and `redundant_closure` (on by default) would flag them.
#[test]
fn generated_code_gives_users_clippy_nothing_to_flag() {
    let dir = std::env::temp_dir().join(format!("awsgen-no-faults-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("service-2.json"),
        r#"{"metadata": {"protocol": "ec2", "apiVersion": "2016-11-15", "endpointPrefix": "e",
             "serviceId": "E", "signatureVersion": "v4", "uid": "e-2016-11-15"},
           "operations": {"List": {"name": "List", "input": {"shape": "In"}, "output": {"shape": "Out"}}},
           "shapes": {
             "In": {"type": "structure", "members": {"Marker": {"shape": "Name"}}},
             "Out": {"type": "structure", "members": {"Marker": {"shape": "Name"},
                     "More": {"shape": "Flag"}, "Items": {"shape": "Names"}}},
             "Names": {"type": "list", "member": {"shape": "Name"}},
             "Name": {"type": "string"},
             "Flag": {"type": "boolean"}
           }}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("paginators-1.json"),
        r#"{"pagination": {"List": {"input_token": "Marker", "output_token": "Marker",
             "more_results": "More", "result_key": "Items"}}}"#,
    )
    .unwrap();
    let code = Config::new().model(&dir).generate().unwrap().code;
    std::fs::remove_dir_all(&dir).unwrap();
    let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        !flat.contains("match meta.shape_code()"),
        "a match with no fault"
    );
    assert!(
        !flat.contains("|v| ::awsgen_runtime::paginator::Token::is_present(v))"),
        "a closure that only calls the token check"
    );
    assert!(flat.contains("is_some_and(::awsgen_runtime::paginator::Token::is_present)"));
}

/// S3's GetBucketLocation and HeadBucket have customizations that act on the answer only
/// (its root element's text, the typed 404): their `send` must not rebind the input as
/// `mut` (a regression: `unused_mut` in the whole S3 model, which fails users' crates
/// under `deny(warnings)`), while CopyObject's copy-source quoting still does.
#[test]
fn customizations_of_the_answer_leave_the_input_alone() {
    let dir = std::env::temp_dir().join(format!("awsgen-s3-mut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("service-2.json"),
        r#"{"metadata": {"protocol": "rest-xml", "apiVersion": "2006-03-01", "endpointPrefix": "s3",
             "serviceId": "S3", "signatureVersion": "s3", "uid": "s3-2006-03-01"},
           "operations": {
             "GetBucketLocation": {"name": "GetBucketLocation",
               "http": {"method": "GET", "requestUri": "/{Bucket}?location"},
               "input": {"shape": "BucketIn"}, "output": {"shape": "LocationOut"}},
             "HeadBucket": {"name": "HeadBucket", "http": {"method": "HEAD", "requestUri": "/{Bucket}"},
               "input": {"shape": "BucketIn"}, "errors": [{"shape": "NoSuchBucket"}]},
             "CopyObject": {"name": "CopyObject", "http": {"method": "PUT", "requestUri": "/{Bucket}/{Key+}"},
               "input": {"shape": "CopyIn"}}},
           "shapes": {
             "BucketIn": {"type": "structure", "required": ["Bucket"], "members": {
               "Bucket": {"shape": "Name", "location": "uri", "locationName": "Bucket"}}},
             "CopyIn": {"type": "structure", "required": ["Bucket", "Key", "CopySource"], "members": {
               "Bucket": {"shape": "Name", "location": "uri", "locationName": "Bucket"},
               "Key": {"shape": "Name", "location": "uri", "locationName": "Key"},
               "CopySource": {"shape": "Name", "location": "header", "locationName": "x-amz-copy-source"}}},
             "LocationOut": {"type": "structure", "members": {"LocationConstraint": {"shape": "Name"}}},
             "NoSuchBucket": {"type": "structure", "members": {}, "error": {"httpStatusCode": 404}, "exception": true},
             "Name": {"type": "string"}
           }}"#,
    )
    .unwrap();
    let code = Config::new().model(&dir).generate().unwrap().code;
    std::fs::remove_dir_all(&dir).unwrap();
    // What the input goes through before its request is built (`__prepare`).
    let send = |module: &str| {
        let start = code.find(&format!("pub mod {module} ")).unwrap();
        let module = &code[start..];
        let at = module.find("pub fn __prepare").unwrap();
        let body = &module[at..];
        body[..body.find("let request =").unwrap()].to_string()
    };
    for module in ["get_bucket_location", "head_bucket"] {
        assert!(!send(module).contains("let mut input"), "{}", send(module));
    }
    assert!(
        send("copy_object").contains("let mut input = input;"),
        "{}",
        send("copy_object")
    );
    assert!(
        send("copy_object").contains("copy_source"),
        "{}",
        send("copy_object")
    );
}
