use serde_json::json;

use ferrobooks_testkit::{Backend, TestApp, spawn_app_with};

async fn app_in(country: &str, currency: &str, backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, country, currency).await
}

async fn tax_named(app: &TestApp, name: &str) -> String {
    let r = app.get("/api/v1/taxes?limit=100").await.expect(200);
    r.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no tax {name}: {}", r.text))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

ferrobooks_testkit::backend_test! {
    #[country("IN", "INR")]
    async fn gst_catalogue_splits_by_place_of_supply(app: TestApp) {
        app.put("/api/v1/organization", json!({"state": "MH"}))
            .await
            .expect(200);
        let list = app
            .get("/api/v1/taxes?kind=gst&limit=100")
            .await
            .expect(200);
        assert_eq!(
            list.json["data"].as_array().unwrap().len(),
            9,
            "{}",
            list.text
        );
        let gst18 = tax_named(&app, "GST 18%").await;
        let t = app.get(&format!("/api/v1/taxes/{gst18}")).await.expect(200);
        assert_eq!(t.raw("/rate"), "18");
        assert_eq!(t.raw("/components/0/rate"), "9");
        let cgst = app.account("2205").await;
        let igst = app.account("2207").await;
        let intra = app
            .get(&format!(
                "/api/v1/taxes/{gst18}/calculate?amount=10000.00&place_of_supply=MH"
            ))
            .await
            .expect(200);
        assert_eq!(intra.str("/lines/0/name"), "cgst");
        assert_eq!(intra.str("/lines/0/account_id"), cgst);
        assert_eq!(intra.raw("/lines/0/amount"), "900.00");
        assert_eq!(intra.raw("/lines/1/amount"), "900.00");
        assert_eq!(intra.raw("/total_tax"), "1800.00");
        assert_eq!(intra.raw("/gross"), "11800.00");
        let inter = app
            .get(&format!(
                "/api/v1/taxes/{gst18}/calculate?amount=10000.00&place_of_supply=29"
            ))
            .await
            .expect(200);
        assert_eq!(inter.str("/lines/0/name"), "igst");
        assert_eq!(inter.str("/lines/0/account_id"), igst);
        assert_eq!(inter.raw("/lines/0/amount"), "1800.00");
        app.get(&format!("/api/v1/taxes/{gst18}/calculate?amount=100"))
            .await
            .expect(400);
        app.get(&format!(
            "/api/v1/taxes/{gst18}/calculate?amount=100&place_of_supply=XX"
        ))
        .await
        .expect(400);
        app.get(&format!(
            "/api/v1/taxes/{gst18}/calculate?amount=100.001&place_of_supply=MH"
        ))
        .await
        .expect(400);
        // Tobacco: 28% + 12% cess + 4.00 per unit.
        let c = app
            .post("/api/v1/taxes", json!({"name": "GST 28% + cess", "kind": "gst", "rate": 28, "cess_rate": "12", "cess_per_unit": "4.00"}))
            .await
            .expect(201);
        let calc = app
            .get(&format!(
                "/api/v1/taxes/{}/calculate?amount=1000.00&quantity=3&place_of_supply=KA",
                c.str("/id")
            ))
            .await
            .expect(200);
        assert_eq!(calc.raw("/lines/0/amount"), "280.00");
        assert_eq!(calc.str("/lines/1/name"), "cess");
        assert_eq!(calc.raw("/lines/1/amount"), "132.00");
        // Rates never change through an update.
        let r = app
            .put(&format!("/api/v1/taxes/{gst18}"), json!({"rate": 5}))
            .await
            .expect(400);
        assert_eq!(r.json["code"], "validation_failed");
        assert!(r.json["details"]["rate"].is_string(), "{}", r.text);
        let u = app
            .put(
                &format!("/api/v1/taxes/{gst18}"),
                json!({"name": "GST 18 (standard)", "effective_from": "2025-09-22", "active": false}),
            )
            .await
            .expect(200);
        assert_eq!(u.json["active"], false);
        app.put(
            &format!("/api/v1/taxes/{gst18}"),
            json!({"effective_to": "2025-01-01"}),
        )
        .await
        .expect(400);
    }
}

async fn vat_and_sales_tax(backend: Backend) {
    let Some(uk) = app_in("GB", "GBP", backend).await else {
        return;
    };
    assert_eq!(
        uk.get("/api/v1/taxes?kind=vat").await.expect(200).json["data"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let std = tax_named(&uk, "VAT Standard 20%").await;
    let c = uk
        .get(&format!("/api/v1/taxes/{std}/calculate?amount=99.99"))
        .await
        .expect(200);
    assert_eq!(c.raw("/lines/0/amount"), "20.00");
    let zero = tax_named(&uk, "VAT Zero 0%").await;
    let z = uk
        .get(&format!("/api/v1/taxes/{zero}/calculate?amount=50"))
        .await
        .expect(200);
    assert_eq!(z.raw("/lines/0/amount"), "0.00");
    let exempt = tax_named(&uk, "VAT Exempt").await;
    let e = uk
        .get(&format!("/api/v1/taxes/{exempt}/calculate?amount=50"))
        .await
        .expect(200);
    assert_eq!(e.json["lines"].as_array().unwrap().len(), 0);
    assert_eq!(e.raw("/gross"), "50.00");
    // GST is for India.
    uk.post(
        "/api/v1/taxes",
        json!({"name": "GST", "kind": "gst", "rate": 5}),
    )
    .await
    .expect(400);

    let Some(us) = app_in("US", "USD", backend).await else {
        return;
    };
    assert_eq!(
        us.get("/api/v1/taxes").await.expect(200).json["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let payable = us.account("2230").await;
    let code = us
        .post("/api/v1/taxes", json!({"name": "Oakland, CA", "kind": "sales_tax", "components": [
            {"name": "CA State", "rate": 6}, {"name": "Alameda County", "rate": "0.25"}, {"name": "Oakland", "rate": 3}
        ]}))
        .await
        .expect(201);
    assert_eq!(code.raw("/rate"), "9.25");
    assert_eq!(code.str("/components/1/account_id"), payable);
    let c = us
        .get(&format!(
            "/api/v1/taxes/{}/calculate?amount=100.00",
            code.str("/id")
        ))
        .await
        .expect(200);
    assert_eq!(c.raw("/lines/0/amount"), "6.00");
    assert_eq!(c.raw("/lines/1/amount"), "0.25");
    assert_eq!(c.raw("/total_tax"), "9.25");
    let bank = us.account("1200").await;
    for (body, field) in [
        (json!({"name": "V", "kind": "vat", "rate": 20}), "kind"),
        (json!({"name": "G", "kind": "gst", "rate": 18}), "kind"),
        (json!({"name": "S", "kind": "sales_tax"}), "components"),
        (
            json!({"name": "S", "kind": "sales_tax", "components": []}),
            "components",
        ),
        (
            json!({"name": "S", "kind": "sales_tax", "components": [{"name": "X", "rate": 150}]}),
            "components[0].rate",
        ),
        (
            json!({"name": "S", "kind": "sales_tax", "components": [{"name": "X", "rate": 1, "account_id": bank}]}),
            "components[0].account_id",
        ),
        (
            json!({"name": "S", "kind": "sales_tax", "cess_rate": 1, "components": [{"name": "X", "rate": 1}]}),
            "cess_rate",
        ),
        (json!({"name": "S", "kind": "excise", "rate": 1}), "kind"),
        (
            json!({"name": "", "kind": "sales_tax", "components": [{"name": "X", "rate": 1}]}),
            "name",
        ),
        (
            json!({"name": "S", "kind": "sales_tax", "effective_from": "2026-02-01", "effective_to": "2026-01-01", "components": [{"name": "X", "rate": 1}]}),
            "effective_to",
        ),
    ] {
        let r = us.post("/api/v1/taxes", body.clone()).await.expect(400);
        assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
    }
    assert_eq!(us.count("taxes").await, 1, "nothing half-written");
    let id = code.str("/id");
    us.delete(&format!("/api/v1/taxes/{id}")).await.expect(204);
    us.get(&format!("/api/v1/taxes/{id}")).await.expect(404);
}

#[tokio::test]
async fn vat_and_sales_tax_sqlite() {
    vat_and_sales_tax(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
)]
async fn vat_and_sales_tax_postgres() {
    vat_and_sales_tax(Backend::Postgres).await;
}
