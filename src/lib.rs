//! Tavla: Helsedirektoratet's dated notices as JSON, feeds and pages.

pub mod app;
pub mod commands;
pub mod config;
pub mod domain;
pub mod feeds;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod metrics;
pub mod outbound;
pub mod pages;
pub mod routes;
pub mod seed;
pub mod store;
pub mod webhooks;
pub mod websub;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;

use app::outbox::{Channel, Outbox};
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
    /// Tells the outbox's worker to stop once the server has.
    stop: tokio::sync::watch::Sender<bool>,
    worker: tokio::task::JoinHandle<()>,
    /// Set once a signal asks the instance to stop.
    draining: Arc<std::sync::atomic::AtomicBool>,
    /// The metrics listener: its port, and how to stop and await it.
    metrics_server: Option<(
        u16,
        ServerHandle,
        tokio::task::JoinHandle<std::io::Result<()>>,
    )>,
}

/// The longest requests under way are waited for when stopping.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(30);

/// SIGTERM (a service manager's stop) or Ctrl-C.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Connects, migrates, loads the areas and (on an empty database) the seed notices.
pub fn prepare_store(settings: &Settings) -> anyhow::Result<(Store, Taxonomy)> {
    prepare_measured_store(settings, Default::default())
}

/// As `prepare_store`, with the pool's waits counted on `counters`.
fn prepare_measured_store(
    settings: &Settings,
    counters: metrics::PoolCounters,
) -> anyhow::Result<(Store, Taxonomy)> {
    let store = Store::connect_measured(&settings.backend, &settings.pool, counters)?;
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
        let metrics = metrics::Metrics::new(settings.backend.name());
        let (store, taxonomy) = prepare_measured_store(&settings, metrics.pool.clone())?;
        let listen =
            |addr| TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"));
        let listener = listen(settings.bind)?;
        let metrics_listener = match settings.metrics_bind.map(listen).transpose()? {
            Some(listener) => Some((listener.local_addr()?.port(), listener)),
            None => None,
        };
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
        let taxonomy = Arc::new(taxonomy);
        let representations = http::cached::RepresentationCache::measured(
            settings.cache_bytes,
            metrics.cache.clone(),
        );
        let mut channels: Vec<Arc<dyn Channel>> = Vec::new();
        if let Some(hub) = &settings.websub_hub {
            let cached = representations.clone();
            channels.push(Arc::new(websub::WebSub::new(
                hub.clone(),
                base_url.clone(),
                taxonomy.clone(),
                Box::new(move || cached.keys()),
            )));
        }
        channels.push(Arc::new(webhooks::Webhooks::new(
            store.clone(),
            settings.clock.clone(),
            base_url.clone(),
            settings.webhook_allow_private,
        )));
        if let Some(mail) = &settings.mail {
            channels.push(Arc::new(mail::Mail::new(
                store.clone(),
                settings.clock.clone(),
                base_url.clone(),
                mail,
            )?));
        }
        // Imported notices' events go where editors' go.
        let fanout = channels.iter().flat_map(|c| c.fanout()).collect();
        let importer = Arc::new(app::sources::Importer::new(
            store.clone(),
            settings.clock.clone(),
            watch.clone(),
            fanout,
            app::sources::Fetcher::new(&base_url, settings.import_allow_private),
            metrics.clone(),
        ));
        channels.push(importer.clone());
        let outbox = Arc::new(Outbox::new(
            store.clone(),
            settings.clock.clone(),
            watch.clone(),
            channels,
            metrics.clone(),
        ));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let worker = tokio::spawn(outbox.clone().run(stopped));
        let draining = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let state = web::Data::new(AppState {
            app: app::App {
                store,
                taxonomy,
                clock: settings.clock.clone(),
                version: watch,
                outbox,
                base_url: base_url.clone(),
                auth_throttle: Default::default(),
                trusted_proxies: settings.trusted_proxies.clone(),
                webhook_allow_private: settings.webhook_allow_private,
                import_allow_private: settings.import_allow_private,
                importer,
                mail: settings
                    .mail
                    .as_ref()
                    .map(|m| Arc::new(app::MailConfig::new(m.subscribe_limit, m.digest_time))),
            },
            representations,
            cache_max_age: settings.cache_max_age,
            websub_hub: settings.websub_hub.clone(),
            draining: draining.clone(),
            metrics,
        });
        let app_data = web::Data::new(state.app.clone());
        let metrics_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(app_data.clone())
                .wrap(http::cors())
                .wrap(pages::security_headers())
                .wrap(middleware::from_fn(routes::bounded_uri))
                .wrap(middleware::from_fn(http::access_log::log))
                // Outermost: the id is known to the log line and every answer.
                .wrap(middleware::from_fn(http::request_id::assign))
                .configure(routes::configure)
        })
        .listen(listener)?
        // SIGTERM and Ctrl-C are Tavla's to handle: it drains first.
        .disable_signals()
        .shutdown_timeout(DRAIN.as_secs())
        .run();
        // Last, so that nothing fails after it has started.
        let metrics_server = match metrics_listener {
            Some((port, listener)) => {
                let server = http::scrape::serve(listener, metrics_state)?;
                Some((port, server.handle(), tokio::spawn(server)))
            }
            None => None,
        };
        Ok(Self {
            port: addr.port(),
            base_url,
            server,
            stop,
            worker,
            draining,
            metrics_server,
        })
    }

    /// The metrics listener's port, when there is one.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_server.as_ref().map(|(port, ..)| *port)
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

    /// Serves until stopped (SIGTERM, Ctrl-C or the handle), then lets the
    /// outbox's worker finish the deliveries it is making. On a signal the
    /// instance drains: `/readyz` answers 503 at once, no new connection is
    /// accepted, and requests under way finish (for up to `DRAIN`).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (handle, draining) = (self.server.handle(), self.draining.clone());
        let signals = tokio::spawn(async move {
            stop_signal().await;
            draining.store(true, std::sync::atomic::Ordering::Release);
            tracing::info!("stopping: requests under way finish, then deliveries under way");
            handle.stop(true).await;
        });
        let served = self.server.await;
        signals.abort();
        // Scraped until the public port is closed.
        if let Some((_, handle, server)) = self.metrics_server {
            handle.stop(true).await;
            let _ = server.await;
        }
        let _ = self.stop.send(true);
        if let Err(e) = self.worker.await {
            tracing::error!(error = %e, "the outbox worker failed");
        }
        served
    }
}
