//! The query protocols' shape table (issue #27): names as botocore merges them.

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
