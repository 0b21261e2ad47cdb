/*
 * The door page's camera scanner (templates/pages/door.hbs), a file because the Content-Security-Policy
 * allows no inline script. The page works without it: people type the code. Where the browser can read
 * QR codes itself (BarcodeDetector: Chrome and Edge on Android, Samsung Internet) a button opens the
 * camera; the first code it reads is put into the field and the form is sent, as if typed.
 */
(function () {
  'use strict';
  var button = document.getElementById('door-scan');
  var video = document.getElementById('door-camera');
  var form = document.getElementById('door-form');
  var input = document.getElementById('door-code');
  if (!button || !video || !form || !input) return;
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  var detector;
  try {
    detector = new window.BarcodeDetector({ formats: ['qr_code'] });
  } catch (e) {
    return;
  }
  var stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
  }

  function look() {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      var found = codes.length > 0 ? codes[0].rawValue : '';
      if (found) {
        stop();
        input.value = found;
        form.submit();
        return;
      }
      window.setTimeout(look, 250);
    }, function () { window.setTimeout(look, 500); });
  }

  button.hidden = false;
  button.addEventListener('click', function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      video.play().then(look, look);
    }, function () { input.focus(); });
  });
  window.addEventListener('pagehide', stop);
})();
