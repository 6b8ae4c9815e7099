use crate::helpers::spawn_app;

#[tokio::test]
async fn studio_files_are_served_and_deep_links_get_the_app() {
    let app = spawn_app().await;
    let css = app.client.get(app.url("/style.css")).send().await.unwrap();
    assert_eq!(css.status().as_u16(), 200);
    assert_eq!(css.text().await.unwrap(), "body { margin: 0 }");

    for path in ["/", "/device", "/some/deep/link"] {
        let page = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 200, "{path}");
        assert!(page.text().await.unwrap().contains("<main id=app>"), "{path}");
    }
}
