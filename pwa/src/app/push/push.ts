/**
 * Web Push on this phone. Permission is asked only when the member taps "Bật thông báo" (never on
 * open: a refused prompt cannot be asked again). Once granted, the subscription is sent to the server
 * on every app open: iOS drops subscriptions silently, and a re-send refreshes or re-creates it.
 */
import { signal } from '@preact/signals';
import { call, type Schemas } from '../../shared/api';
import { base64UrlToBytes, isVapidKey } from './keys';

/** Where push stands on this phone, as the member's screen shows it. */
export type PushState = 'unsupported' | 'unavailable' | 'denied' | 'default' | 'granted' | 'subscribed';

export const pushState = signal<PushState>('default');

function supported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The registration, without waiting forever where no worker is registered (development). */
async function registration(): Promise<ServiceWorkerRegistration | null> {
  const found = await navigator.serviceWorker.getRegistration();
  if (!found) return null;
  return found.active ? found : navigator.serviceWorker.ready;
}

async function send(subscription: PushSubscription): Promise<void> {
  // toJSON() as is: the server reads endpoint, keys and expirationTime, and ignores what it does not know.
  const body = subscription.toJSON() as Schemas['PushSubscriptionCreate'];
  await call('post', '/api/v1/push/subscriptions', { body });
}

async function subscribe(reg: ServiceWorkerRegistration): Promise<PushSubscription | 'unavailable'> {
  const vapid = await call('get', '/api/v1/push/vapid-public-key');
  if (!vapid.enabled || !vapid.public_key) return 'unavailable';
  const key = base64UrlToBytes(vapid.public_key);
  if (!isVapidKey(key)) return 'unavailable';
  return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

/** Look at the phone's state without asking anything. */
export function checkPush(): PushState {
  if (!supported()) return (pushState.value = 'unsupported');
  const permission = Notification.permission;
  if (permission === 'denied') return (pushState.value = 'denied');
  if (permission === 'default') return (pushState.value = 'default');
  if (pushState.value !== 'subscribed') pushState.value = 'granted';
  return pushState.value;
}

/** After the member's tap: ask for permission, subscribe, register the device. Throws on failure. */
export async function enablePush(): Promise<PushState> {
  if (!supported()) return (pushState.value = 'unsupported');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return (pushState.value = permission === 'denied' ? 'denied' : 'default');
  const reg = await registration();
  if (!reg) return (pushState.value = 'unsupported');
  const subscription = (await reg.pushManager.getSubscription()) ?? (await subscribe(reg));
  if (subscription === 'unavailable') return (pushState.value = 'unavailable');
  await send(subscription);
  return (pushState.value = 'subscribed');
}

/**
 * On every app open, signed in: send the existing subscription again; if the browser lost it while
 * permission stands, make a new one (no prompt: permission is already granted). Failures are silent.
 */
export async function resendPushSubscription(): Promise<void> {
  if (checkPush() !== 'granted') return;
  try {
    const reg = await registration();
    if (!reg) return;
    const subscription = (await reg.pushManager.getSubscription()) ?? (await subscribe(reg));
    if (subscription === 'unavailable') {
      pushState.value = 'unavailable';
      return;
    }
    await send(subscription);
    pushState.value = 'subscribed';
  } catch {
    // Offline, or the push service refused: the next open tries again.
  }
}
