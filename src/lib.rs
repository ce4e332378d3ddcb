//! Tavla: Helsedirektoratet's dated notices as JSON, feeds and pages.

pub mod app;
pub mod commands;
pub mod config;
pub mod domain;
pub mod feeds;
pub mod http;
pub mod pages;
pub mod seed;
pub mod store;
pub mod websub;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;

use config::{base_url_for, Settings};
use domain::Taxonomy;
use http::AppState;
use store::version::{self, VersionWatch};
use store::{areas, Store};

/// A configured server, bound to its port but not yet running.
pub struct Application {
    port: u16,
    base_url: String,
    server: Server,
}

/// Connects, migrates, loads the areas and (on an empty database) the seed notices.
pub fn prepare_store(settings: &Settings) -> anyhow::Result<(Store, Taxonomy)> {
    let store = Store::connect(&settings.backend, &settings.pool)?;
    store
        .wait_until_reachable(settings.pool.startup_wait)
        .with_context(|| {
            format!(
                "cannot reach the database ({}) within {}s",
                settings.backend.redacted(),
                settings.pool.startup_wait.as_secs()
            )
        })?;
    let applied = store.migrate().context("cannot migrate the database")?;
    if applied > 0 {
        tracing::info!(applied, "applied migrations");
    }
    let mut conn = store.conn()?;
    let rendered = store::bodies::render_missing(&mut conn)
        .context("cannot render the bodies stored without their HTML")?;
    if rendered > 0 {
        tracing::info!(rendered, "rendered the bodies stored without their HTML");
    }
    if settings.seed {
        let loaded =
            seed::load(&mut conn, settings.clock.now()).context("cannot load the seed data")?;
        if loaded > 0 {
            tracing::info!(loaded, "loaded the seed notices into the empty database");
        }
    } else {
        areas::sync(&mut conn, &seed::taxonomy()).context("cannot load the areas")?;
    }
    let taxonomy = Taxonomy::new(areas::all(&mut conn)?);
    Ok((store, taxonomy))
}

impl Application {
    pub fn build(settings: Settings) -> anyhow::Result<Self> {
        let (store, taxonomy) = prepare_store(&settings)?;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let addr = listener.local_addr()?;
        let base_url = settings
            .base_url
            .clone()
            .unwrap_or_else(|| base_url_for(addr));
        let watch = Arc::new(VersionWatch::default());
        watch.observe(version::current(&mut *store.conn()?)?);
        // Stops by itself once the server, the watch's only other owner, is gone.
        tokio::spawn(version::poll(store.clone(), Arc::downgrade(&watch)));
        tokio::spawn(store::checkpoint_periodically(
            store.clone(),
            Arc::downgrade(&watch),
        ));
        let state = web::Data::new(AppState {
            store,
            taxonomy: Arc::new(taxonomy),
            base_url: base_url.clone(),
            version: watch,
            representations: http::cached::RepresentationCache::new(settings.cache_bytes),
            cache_max_age: settings.cache_max_age,
            auth_throttle: Default::default(),
            trusted_proxies: settings.trusted_proxies.clone(),
            websub: settings
                .websub_hub
                .clone()
                .map(|hub| Arc::new(websub::WebSub::new(hub, base_url.clone()))),
            websub_hub: settings.websub_hub.clone(),
            clock: settings.clock.clone(),
        });
        if let Some(websub) = &state.websub {
            // Scheduled notices go live later; the hub hears of them then.
            let pending =
                store::notices::scheduled_after(&mut *state.store.conn()?, state.clock.now())?;
            for notice in &pending {
                let topics = websub.topics(&[notice], &state.taxonomy, &[]);
                websub.notify_at(Some(notice.published_at), topics);
            }
        }
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(http::cors())
                .wrap(pages::security_headers())
                .wrap(middleware::Logger::new("%a \"%r\" %s %b %Dms"))
                .configure(http::configure)
        })
        .listen(listener)?
        .run();
        Ok(Self {
            port: addr.port(),
            base_url,
            server,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Handle to stop the server gracefully.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
