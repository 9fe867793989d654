//! Devices coming and going: each discovery round is compared with the
//! last, and what changed is reported (appeared, state changed, gone), as
//! the card readers' watcher does for the status bar.

use crate::client::{Device, DeviceState, MdsClient};
use serde::Serialize;
use std::collections::BTreeMap;

/// A change between two discovery rounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum DeviceEvent {
    Appeared {
        port: u16,
        serial: String,
        state: DeviceState,
    },
    Changed {
        port: u16,
        serial: String,
        state: DeviceState,
    },
    Gone {
        port: u16,
        serial: String,
    },
}

/// The last round's devices.
#[derive(Debug, Default)]
pub struct DeviceWatch {
    known: BTreeMap<(u16, String), DeviceState>,
}

impl DeviceWatch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Compares a round's devices with the last round's.
    pub fn update(&mut self, devices: &[Device]) -> Vec<DeviceEvent> {
        let now: BTreeMap<(u16, String), DeviceState> = devices
            .iter()
            .map(|d| ((d.port, d.description.serial.clone()), d.state))
            .collect();
        let mut events = Vec::new();
        for ((port, serial), state) in &now {
            match self.known.get(&(*port, serial.clone())) {
                None => events.push(DeviceEvent::Appeared {
                    port: *port,
                    serial: serial.clone(),
                    state: *state,
                }),
                Some(old) if old != state => events.push(DeviceEvent::Changed {
                    port: *port,
                    serial: serial.clone(),
                    state: *state,
                }),
                Some(_) => {}
            }
        }
        for (port, serial) in self.known.keys() {
            if !now.contains_key(&(*port, serial.clone())) {
                events.push(DeviceEvent::Gone {
                    port: *port,
                    serial: serial.clone(),
                });
            }
        }
        self.known = now;
        events
    }

    /// One discovery round through `client`, and its changes.
    pub async fn poll(&mut self, client: &MdsClient) -> (Vec<Device>, Vec<DeviceEvent>) {
        let devices = client.discover().await;
        let events = self.update(&devices);
        (devices, events)
    }
}
