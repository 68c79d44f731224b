;;; drive.el --- drives the kmm server from a real Emacs + eglot, as a user would  -*- lexical-binding: t -*-
;;
;;   emacs --batch -q -l drive.el
;;
;; (-q, not -Q: Debian's elpa-eglot is found through `package-initialize'.)
;; Environment:
;;   SERVER      dist/server.js
;;   OUT         where to write the JSON record of what Emacs saw (rewritten after each step)
;;   KMM_KERNEL  the kernel tree, passed as initializationOptions.kernelPath
;;   KMM_ROOT    the project root (a temp dir holding both files)
;;   KMM_DIAG    the file whose diagnostics (flymake) and hover are read
;;   KMM_HOVER   SYMBOL@LINE (1-based): where in KMM_DIAG to hover
;;   KMM_FIX     a second file: its missing-namespace-import quick fix is applied through
;;               `eglot-code-actions' (the M-x command) and the buffer saved
;; The test (emacs.test.ts) asserts on the record; this file only observes and acts.
;; Whatever happens, it writes OUT and exits.

(require 'package)
(package-initialize)
(require 'eglot)
(require 'flymake)
(require 'json)
(require 'cl-lib)

(defvar kmm-t0 (float-time))
(defun kmm-ms () (round (* 1000 (- (float-time) kmm-t0))))

(defvar kmm-record (make-hash-table :test 'equal))
(defun kmm-put (key value) (puthash key value kmm-record))
(defun kmm-push (key value)
  (puthash key (vconcat (gethash key kmm-record []) (vector value)) kmm-record))

(defun kmm-save ()
  (let ((json-encoding-pretty-print nil)
        (coding-system-for-write 'utf-8))
    (write-region (json-encode kmm-record) nil (getenv "OUT") nil 'silent)))

(defun kmm-step (name)
  (kmm-push "steps" `((name . ,name) (ms . ,(kmm-ms))))
  (kmm-save))

(defun kmm-wait (pred timeout)
  "Run the event loop until PRED is non-nil or TIMEOUT seconds pass; PRED's value."
  (let ((deadline (+ (float-time) timeout)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    value))

;; What eglot tells the user: its warnings pop up the *Warnings* buffer interactively.
(advice-add 'eglot--warn :before
            (lambda (format &rest args) (kmm-push "warnings" (apply #'format-message format args))))

;; Every notification from the server, before eglot handles it.
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (pcase method
                ('textDocument/publishDiagnostics
                 (kmm-push "publishes"
                           `((uri . ,(plist-get params :uri))
                             (codes . ,(vconcat (mapcar (lambda (d) (plist-get d :code))
                                                        (plist-get params :diagnostics))))
                             (ms . ,(kmm-ms)))))
                ('window/showMessage
                 (kmm-push "messages" `((type . ,(plist-get params :type))
                                        (message . ,(plist-get params :message))))))))

(defun kmm-flymake-diagnostics ()
  "The buffer's flymake diagnostics as LSP-like positions (0-based lines, character offsets)."
  (let (out)
    (dolist (d (flymake-diagnostics))
      (let* ((beg (flymake-diagnostic-beg d))
             (end (flymake-diagnostic-end d))
             (lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
        (save-excursion
          (push `((lnum . ,(progn (goto-char beg) (1- (line-number-at-pos))))
                  (col . ,(- beg (line-beginning-position)))
                  (end_lnum . ,(progn (goto-char end) (1- (line-number-at-pos))))
                  (end_col . ,(- end (line-beginning-position)))
                  (type . ,(symbol-name (flymake-diagnostic-type d)))
                  (text . ,(flymake-diagnostic-text d))
                  (code . ,(plist-get lsp :code))
                  (source . ,(plist-get lsp :source))
                  (severity . ,(plist-get lsp :severity))
                  (message . ,(plist-get lsp :message)))
                out))))
    (vconcat (sort out (lambda (a b)
                         (or (< (alist-get 'lnum a) (alist-get 'lnum b))
                             (and (= (alist-get 'lnum a) (alist-get 'lnum b))
                                  (string< (format "%s" (alist-get 'code a))
                                           (format "%s" (alist-get 'code b))))))))))

(defun kmm-has-code (code)
  (cl-some (lambda (d) (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code) code))
           (flymake-diagnostics)))

(defun kmm-run ()
  (let* ((root (file-name-as-directory (getenv "KMM_ROOT")))
         (hover-spec (split-string (getenv "KMM_HOVER") "@"))
         server)
    (kmm-put "emacs" emacs-version)
    (kmm-put "eglot" (or (ignore-errors (package-version-join (package-desc-version (cadr (assq 'eglot package-alist))))) "?"))
    ;; Both files belong to one project (the temp dir), so one server serves both.
    (add-hook 'project-find-functions
              (lambda (dir) (when (string-prefix-p root (file-name-as-directory (expand-file-name dir)))
                              (cons 'transient root))))
    (setq eglot-server-programs
          `((c-mode . (,(or (getenv "KMM_NODE") "node") ,(getenv "SERVER") "--stdio"
                       :initializationOptions (:kernelPath ,(getenv "KMM_KERNEL"))))))
    (setq eglot-sync-connect t)
    ;; Nothing may prompt in batch mode: a prompt would read stdin.
    (fset 'y-or-n-p (lambda (prompt) (kmm-push "prompts" prompt) nil))
    (fset 'yes-or-no-p (lambda (prompt) (kmm-push "prompts" prompt) nil))

    ;; 1. Diagnostics of the first file, through flymake.
    (find-file (getenv "KMM_DIAG"))
    (unless (derived-mode-p 'c-mode) (error "%s is not in c-mode" buffer-file-name))
    (apply #'eglot (eglot--guess-contact))
    (setq server (eglot-current-server))
    (unless server (error "eglot did not connect"))
    (kmm-step "connected")
    (flymake-mode 1)
    (flymake-start)
    (kmm-put "diagnostics_arrived"
             (if (kmm-wait (lambda () (flymake-diagnostics)) 10) t :json-false))
    (kmm-put "diagnostics" (kmm-flymake-diagnostics))
    (kmm-step "diagnostics")
    (kmm-put "managed" (if (bound-and-true-p eglot--managed-mode) t :json-false))
    ;; What this eglot asks for in hovers: without markdown-mode only plaintext.
    (kmm-put "hover_content_format"
             (plist-get (plist-get (plist-get (eglot-client-capabilities server) :textDocument) :hover) :contentFormat))
    (let ((caps (eglot--capabilities server)))
      (kmm-put "capabilities"
               `((hoverProvider . ,(plist-get caps :hoverProvider))
                 (codeActionProvider . ,(plist-get caps :codeActionProvider))
                 (definitionProvider . ,(plist-get caps :definitionProvider))
                 (textDocumentSync . ,(plist-get caps :textDocumentSync)))))

    ;; 2. Hover at the symbol, as eldoc would ask.
    (let* ((symbol (car hover-spec))
           (line (string-to-number (cadr hover-spec))))
      (goto-char (point-min))
      (forward-line (1- line))
      (when (search-forward symbol (line-end-position) t)
        (goto-char (+ (match-beginning 0) 2))
        (kmm-put "hover_position" (eglot--pos-to-lsp-position))
        (when (eglot--server-capable :hoverProvider)
          (let ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams))))
            (kmm-put "hover" hover)
            ;; What eldoc would show: eglot's own rendering of the contents.
            (when hover
              (kmm-put "hover_rendered"
                       (substring-no-properties (eglot--hover-info (plist-get hover :contents)
                                                                   (plist-get hover :range))))))
          (kmm-step "hover"))))

    ;; 3. The quick fix in the second file.
    (find-file (getenv "KMM_FIX"))
    (unless (derived-mode-p 'c-mode) (error "%s is not in c-mode" buffer-file-name))
    (kmm-put "fix_managed" (if (and (bound-and-true-p eglot--managed-mode)
                                    (eq (eglot-current-server) server))
                               t :json-false))
    (flymake-mode 1)
    (flymake-start)
    (kmm-put "fix_diagnostics_arrived"
             (if (kmm-wait (lambda () (kmm-has-code "missing-namespace-import")) 10) t :json-false))
    (kmm-put "fix_diagnostics" (kmm-flymake-diagnostics))
    (kmm-step "fix diagnostics")
    (let ((target (car (sort (cl-remove-if-not
                              (lambda (d) (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
                                                 "missing-namespace-import"))
                              (flymake-diagnostics))
                             (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))
          (tick (buffer-chars-modified-tick)))
      (unless target (error "no missing-namespace-import diagnostic to fix"))
      ;; 3a. The request eglot makes for the squiggle's extent (context: its flymake diagnostics).
      (kmm-put "code_actions"
               (vconcat (eglot-code-actions (flymake-diagnostic-beg target) (flymake-diagnostic-end target))))
      (kmm-step "code actions")
      ;; 3b. M-x eglot-code-actions with point on the squiggle: the menu is a completing-read.
      (goto-char (flymake-diagnostic-beg target))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt collection &rest _)
                   (let ((titles (mapcar #'car collection)))
                     (kmm-put "menu" (vconcat titles))
                     (or (cl-find-if (lambda (s) (string-match-p "MODULE_IMPORT_NS" s)) titles) "")))))
        ;; A keyboard event: eglot asks with completing-read (a mouse event would pop a menu).
        (let ((last-nonmenu-event ?\r))
          (call-interactively #'eglot-code-actions)))
      (kmm-put "edit_applied" (if (/= tick (buffer-chars-modified-tick)) t :json-false))
      (kmm-step "code action applied"))
    (save-buffer)
    (kmm-step "saved")

    ;; 4. The server re-checks the edited text; flymake shows the new set.
    (kmm-put "after_arrived"
             (if (kmm-wait (lambda () (and (not (kmm-has-code "missing-namespace-import"))
                                           (kmm-has-code "gpl-only-symbol")))
                           10)
                 t :json-false))
    (kmm-put "after_diagnostics" (kmm-flymake-diagnostics))
    (kmm-step "diagnostics after the fix")

    ;; 5. Shut down as eglot does (shutdown, then exit), but without eglot's immediate
    ;; delete-process, to see that the server exits on its own.
    (when (getenv "KMM_EVENTS")
      (with-current-buffer (jsonrpc-events-buffer server)
        (write-region (point-min) (point-max) (getenv "KMM_EVENTS") nil 'silent)))
    (let ((proc (jsonrpc--process server)))
      (setf (eglot--shutdown-requested server) t)
      (kmm-put "shutdown_result" (or (jsonrpc-request server :shutdown nil :timeout 5) :json-null))
      (jsonrpc-notify server :exit nil)
      (kmm-wait (lambda () (not (process-live-p proc))) 5)
      (kmm-put "server_exit" `((live . ,(if (process-live-p proc) t :json-false))
                               (status . ,(symbol-name (process-status proc)))
                               (code . ,(process-exit-status proc))
                               (ms . ,(kmm-ms)))))
    (kmm-step "stopped")))

(condition-case err
    (kmm-run)
  (error (kmm-put "error" (format "%S" err))))
(kmm-put "ms" (kmm-ms))
(kmm-save)
(kill-emacs 0)
