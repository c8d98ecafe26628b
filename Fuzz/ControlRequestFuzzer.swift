// libFuzzer target over the control socket's request parser and reply codec (NDPControl), the
// code that reads what any local client sends to the daemon (README, "Control socket").
//
// For every input:
//   1. `ControlRequest.parse` returns, whatever the bytes (a trap is a crash);
//   2. a request it accepts came from a line feed within `maximumLength` bytes, and the line the
//      client would send for it parses back to the same request;
//   3. a refusal as `.incomplete` means no line feed within the bound and every byte before it
//      printable; `.tooLong` means no line feed within the bound;
//   4. a reply built with the input as its body decodes back to itself.
//
// Built by Fuzz/control.sh together with Sources/NDPControl/*.swift in one module.

@_cdecl("LLVMFuzzerTestOneInput")
public func ndpdControlFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let newline = bytes.firstIndex(of: 0x0A)
    switch ControlRequest.parse(bytes) {
    case .success(let request):
        guard let newline, newline < ControlRequest.maximumLength else {
            fatalError("accepted a request without a line feed within the bound")
        }
        guard ControlRequest.parse(Array(request.line.utf8)) == .success(request) else {
            fatalError("\(request)'s own line does not parse back")
        }
    case .failure(.incomplete):
        if let newline, newline < ControlRequest.maximumLength {
            fatalError("incomplete although a line feed came at \(newline)")
        }
        guard bytes.count < ControlRequest.maximumLength else { fatalError("incomplete past the bound") }
    case .failure(.tooLong):
        if let newline, newline < ControlRequest.maximumLength - 1 {
            fatalError("too long although a line feed came at \(newline)")
        }
    case .failure(.notText), .failure(.unknown):
        break
    }
    let body = String(decoding: bytes, as: UTF8.self)
    for ok in [true, false] {
        let reply = ControlReply(ok: ok, body: body)
        guard ControlReply(bytes: reply.bytes) == reply else { fatalError("reply does not decode back") }
    }
    return 0
}
