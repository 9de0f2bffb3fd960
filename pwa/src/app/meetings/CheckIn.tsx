/** Check-in: type the six digits on the secretary's phone, or scan its QR where the browser can. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { newIdempotencyKey } from '../offline-queue';
import { links } from '../router';
import { formatTime } from '../life/dates';
import { explain, pendingWrites, QUIET, Said, Waiting, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';
import { checkInRequest, noteTyping, parseCheckInQr, type SeenCode } from './check-in';
import { CHECK_IN_KIND, useMeeting } from './screens';

interface DetectedBarcode {
  readonly rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

function detectorClass(): BarcodeDetectorClass | null {
  const found = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  return typeof found === 'function' && typeof navigator.mediaDevices?.getUserMedia === 'function' ? found : null;
}

/** The camera, read a few times a second until a check-in QR shows up; stops the camera when done. */
function Scanner({ onCode, onStop }: { readonly onCode: (text: string) => void; readonly onStop: (error?: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | null = null;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (opened) => {
        stream = opened;
        if (stopped || !video.current) return;
        video.current.srcObject = opened;
        await video.current.play();
        timer = setInterval(() => {
          if (!video.current) return;
          detector.detect(video.current).then(
            (codes) => {
              const first = codes[0];
              if (first && !stopped) onCode(first.rawValue);
            },
            () => undefined,
          );
        }, 300);
      })
      .catch(() => onStop(t('checkIn.noCamera')));
    return () => {
      stopped = true;
      if (timer !== null) clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);
  return (
    <div class="scanner">
      <video ref={video} class="scanner-video" muted playsInline aria-label={t('checkIn.camera')} />
      <button type="button" class="button button-secondary" onClick={() => onStop()}>
        {t('checkIn.stopScan')}
      </button>
    </div>
  );
}

export function CheckInScreen({ meetingId }: { readonly meetingId: string }) {
  const { data, error, loading, reload } = useMeeting(meetingId);
  const [typed, setTyped] = useState('');
  const [seen, setSeen] = useState<SeenCode | null>(null);
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);
  const back = (
    <p class="crumb">
      <a href={links.meeting(meetingId)}>{t('checkIn.back')}</a>
    </p>
  );
  if (!data) {
    return (
      <Page heading={t('checkIn.title')} before={back}>
        <Waiting loading={loading} error={error} onRetry={reload} />
      </Page>
    );
  }
  const meeting = data.value;
  const done = meeting.checked_in;
  const waiting = pendingWrites(CHECK_IN_KIND, meeting.id).length > 0;

  async function send(code: SeenCode): Promise<void> {
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await submitWrite('post', '/api/v1/meetings/{meeting_id}/check-ins', {
        path: { meeting_id: meeting.id },
        body: checkInRequest(code, newIdempotencyKey()),
        kind: CHECK_IN_KIND,
        ref: meeting.id,
        label: `${t('checkIn.title')}: ${meeting.title}`,
      });
      if (result.state === 'sent') {
        setSaid({ tone: result.answer.present ? 'ok' : 'error', text: result.answer.present ? t('checkIn.done') : t('checkIn.markedAbsent') });
      } else {
        setSaid({ tone: 'wait', text: t('checkIn.queued', { code: code.code, time: formatTime(new Date(code.seenAt).toISOString()) }) });
      }
      setTyped('');
      setSeen(null);
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }

  function onScanned(text: string): void {
    const found = parseCheckInQr(text);
    if (!found) return; // some other QR in view: keep looking
    setScanning(false);
    if (found.meetingId !== meeting.id) {
      setSaid({ tone: 'error', text: t('checkIn.otherMeeting') });
      return;
    }
    const code = { code: found.code, seenAt: Date.now() };
    setTyped(found.code);
    setSeen(code);
    void send(code);
  }

  return (
    <Page heading={t('checkIn.title')} before={back}>
      <p class="lead">{meeting.title}</p>
      {done ? (
        <p class="said said-ok">{t('checkIn.done')}</p>
      ) : (
        <>
          {waiting && said.tone !== 'wait' && <p class="said said-wait">{t('checkIn.waiting')}</p>}
          <form
            class="form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              if (seen) void send(seen);
              else setSaid({ tone: 'error', text: t('checkIn.needCode') });
            }}
          >
            <div class="field">
              <label for="check-in-code">{t('checkIn.code')}</label>
              <p class="field-hint" id="check-in-code-hint">
                {t('checkIn.codeHint')}
              </p>
              <input
                id="check-in-code"
                class="code-input"
                name="code"
                inputMode="numeric"
                autocomplete="one-time-code"
                maxLength={9}
                aria-describedby="check-in-code-hint"
                value={typed}
                disabled={busy}
                onInput={(event) => {
                  const value = event.currentTarget.value;
                  setTyped(value);
                  setSeen((previous) => noteTyping(previous, value, Date.now()));
                }}
              />
            </div>
            <button type="submit" class="button" disabled={busy}>
              {busy ? t('checkIn.sending') : t('checkIn.submit')}
            </button>
          </form>
          {detectorClass() &&
            (scanning ? (
              <Scanner
                onCode={onScanned}
                onStop={(problem) => {
                  setScanning(false);
                  if (problem) setSaid({ tone: 'error', text: problem });
                }}
              />
            ) : (
              <p>
                <button type="button" class="button button-secondary" onClick={() => setScanning(true)}>
                  {t('checkIn.scan')}
                </button>
              </p>
            ))}
        </>
      )}
      {/* Once the check-in is recorded, "waiting for a signal" is no longer true. */}
      {!(done && said.tone === 'wait') && <Said tone={said.tone}>{said.text}</Said>}
    </Page>
  );
}
